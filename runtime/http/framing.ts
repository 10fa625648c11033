/**
 * Request framing the edge refuses before any route reads a request (RFC 9112 §3.2, §6.1, §6.3).
 * uWebSockets.js frames every request by the first Content-Length it finds and decodes any
 * Transfer-Encoding as chunked; a proxy in front that reads another Content-Length, or another
 * coding, sees other request boundaries on the same connection, and the bytes between them are a
 * request smuggled past it. Such a request is answered and its connection closed before uWS reads
 * its body, so nothing after it on the connection is parsed. What uWS drops before a handler runs
 * (Content-Length with Transfer-Encoding, no Host, control bytes, obs-fold, HTTP/1.0) is in
 * docs/http-edge.md, "Request framing", with the test that pins each case.
 */
import { forEachHeader, queryOf, type HttpRequest } from './engine.js';

/**
 * uWS buffers at most 4096 bytes of a request head that arrives in more than one read and closes
 * the connection, unanswered, when a longer one has not ended by then; a head that arrives in one
 * read it takes whatever its size. The same limit, answered, for heads that came in one read makes
 * the gateway's limit one number however the client's bytes were split.
 */
export const MAX_HEAD_BYTES = 4096;

/** `SP HTTP/1.1 CRLF` after the target; `: ` and CRLF around each field value; the blank line. */
const REQUEST_LINE_FRAME = ' HTTP/1.1\r\n'.length + 1;
const FIELD_FRAME = ': \r\n'.length;
const HEAD_END = '\r\n'.length;

const CONTENT_LENGTH = 'content-length';
const TRANSFER_ENCODING = 'transfer-encoding';
const HOST = 'host';
const CHUNKED = 'chunked';
/** uWS refuses every other control byte in a field value; DEL it passes on. */
const DEL = '\x7f';
const DIGITS = /^[0-9]+$/;

/**
 * The headers as the framing walk saw them, each name (lower-case) with its value. A later reader in
 * the same handler replays them instead of walking again: uWS hands each header over in a native call,
 * and a second walk costs as much as the first (~1 µs for a dozen headers). One list serves every
 * request, refilled by each walk, so what it holds is valid only until the route handler returns.
 */
export class HeaderList {
  readonly #entries: string[] = [];
  #count = 0;

  clear(): void {
    this.#count = 0;
  }

  add(name: string, value: string): void {
    this.#entries[this.#count++] = name;
    this.#entries[this.#count++] = value;
  }

  forEach(visit: (name: string, value: string) => void): void {
    const entries = this.#entries;
    for (let i = 0; i < this.#count; i += 2) visit(entries[i]!, entries[i + 1]!);
  }
}

export interface FramingFault {
  readonly status: 400 | 414 | 431 | 501;
  /** Names the fault, for the JSON-RPC error the client gets. */
  readonly message: string;
}

const fault = (status: FramingFault['status'], message: string): FramingFault => Object.freeze({ status, message });

const FAULT = Object.freeze({
  conflictingLength: fault(400, 'Bad Request: conflicting Content-Length headers'),
  repeatedLength: fault(400, 'Bad Request: repeated Content-Length header'),
  invalidLength: fault(400, 'Bad Request: Content-Length must be a number of bytes'),
  repeatedHost: fault(400, 'Bad Request: more than one Host header'),
  emptyHost: fault(400, 'Bad Request: empty Host header'),
  notChunked: fault(400, 'Bad Request: the last Transfer-Encoding must be chunked'),
  unknownCoding: fault(501, 'Not Implemented: the only transfer coding accepted is chunked'),
  longTarget: fault(414, `URI Too Long: the request line exceeds ${MAX_HEAD_BYTES} bytes`),
  longHead: fault(431, `Request Header Fields Too Large: the request head exceeds ${MAX_HEAD_BYTES} bytes`),
});

/**
 * What is wrong with the request's framing, or undefined when nothing is; `headers` receives every
 * header on the way. One walk over the headers, whose names uWS has already lower-cased; the common
 * request ends it with three length compares per header and one scan of each value for DEL.
 */
export function framingFault(req: HttpRequest, headers: HeaderList): FramingFault | undefined {
  const query = queryOf(req);
  const line = req.getMethod().length + 1 + req.getUrl().length + (query === '' ? 0 : query.length + 1) + REQUEST_LINE_FRAME;
  if (line > MAX_HEAD_BYTES) return FAULT.longTarget;
  headers.clear();
  const walk = WALK.start(line + HEAD_END, headers);
  forEachHeader(req, walk.visit);
  walk.headers = undefined;
  if (walk.head > MAX_HEAD_BYTES) return FAULT.longHead;
  // uWS lets only letters, digits and '-' into a name, so the name is safe to repeat.
  if (walk.invalidByte !== undefined) return fault(400, `Bad Request: the ${walk.invalidByte} header holds a control character`);
  if (walk.conflicting) return FAULT.conflictingLength;
  if (walk.lengths > 1) return FAULT.repeatedLength;
  // uWS itself closes on any other malformed value, right after the handler and before its answer
  // goes out; an empty one it takes for no body, which a proxy may not.
  if (walk.length !== undefined && !DIGITS.test(walk.length)) return FAULT.invalidLength;
  if (walk.hosts > 1) return FAULT.repeatedHost;
  if (walk.hosts === 1 && walk.host === '') return FAULT.emptyHost;
  return walk.codings === undefined ? undefined : codingFault(walk.codings);
}

/**
 * What one walk over the headers found. One for the process, reset per request: the walk runs to its
 * end inside one route handler, and a request's own tally and visitor closure were most of what the
 * framing check allocated.
 */
class HeaderWalk {
  head = 0;
  length: string | undefined;
  lengths = 0;
  conflicting = false;
  hosts = 0;
  host = '';
  codings: string | undefined;
  invalidByte: string | undefined;
  headers: HeaderList | undefined;

  start(head: number, headers: HeaderList): this {
    this.head = head;
    this.length = undefined;
    this.lengths = 0;
    this.conflicting = false;
    this.hosts = 0;
    this.host = '';
    this.codings = undefined;
    this.invalidByte = undefined;
    this.headers = headers;
    return this;
  }

  readonly visit = (name: string, value: string): void => {
    this.headers!.add(name, value);
    this.head += name.length + value.length + FIELD_FRAME;
    if (value.includes(DEL)) this.invalidByte = name;
    if (name.length === CONTENT_LENGTH.length && name === CONTENT_LENGTH) {
      if (++this.lengths === 1) this.length = value;
      else if (value !== this.length) this.conflicting = true;
    } else if (name.length === HOST.length && name === HOST) {
      this.hosts++;
      this.host = value;
    } else if (name.length === TRANSFER_ENCODING.length && name === TRANSFER_ENCODING) {
      this.codings = this.codings === undefined ? value : `${this.codings}, ${value}`;
    }
  };
}

const WALK = new HeaderWalk();

/** RFC 9112 §6.1 and §6.3: chunked must come last, and a coding the server does not know is a 501. */
function codingFault(codings: string): FramingFault | undefined {
  const list = codings.toLowerCase().split(',').map((coding) => coding.trim());
  if (list[list.length - 1] !== CHUNKED) return FAULT.notChunked;
  return list.length === 1 ? undefined : FAULT.unknownCoding;
}
