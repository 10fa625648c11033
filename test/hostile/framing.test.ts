/**
 * Request framing at the edge over raw sockets, against a real gateway on the native uWS engine: what
 * the gateway refuses with a status (runtime/http/framing.ts, body.ts) and what uWS drops before any
 * handler runs, pinned case by case as docs/http-edge.md "Request framing" tabulates it. A request
 * smuggled behind a bad one is a tools/call whose arguments carry a fresh tag: it must never reach
 * the upstream.
 */
import net from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBundle } from '../runtime/helpers/bundle.js';
import { FakePool, textResult, tool } from '../runtime/helpers/fake-pool.js';
import { startTestGateway, type TestGateway } from '../runtime/helpers/gateway.js';
import { MAX_HEAD_BYTES } from '../../runtime/http/framing.js';
import { BODY_PROGRESS_BYTES, BODY_STALL_MS } from '../../runtime/http/body.js';

const MODERN = '2026-07-28';
const ENVELOPE = { 'io.modelcontextprotocol/protocolVersion': MODERN, 'io.modelcontextprotocol/clientCapabilities': {} };
const CALL_HEADERS = `content-type: application/json\r\naccept: application/json, text/event-stream\r\nmcp-protocol-version: ${MODERN}\r\nmcp-method: tools/call\r\nmcp-name: github__search\r\n`;

/** A refused request is closed this soon (measured: 0–3 ms). */
const PROMPT_MS = 1_500;
/** uWS's idle cut: its 10 s timeout on a timer that ticks every 4 s (measured: 10.9–12.0 s). */
const IDLE_CUT_MS = { min: 6_000, max: 16_000 };
/** uWS cuts a stalled body 8 s after its last mark at the earliest: the 408 must come before. */
const UWS_EARLIEST_BODY_CUT_MS = 8_000;

let tags = 0;
const freshTag = () => `tag-${process.pid}-${++tags}`;

/** A tools/call whose arguments carry `tag`, so whether it ran is visible upstream. */
function callBody(tag: string, pad = 0): string {
  return JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'github__search', arguments: { q: tag, pad: 'x'.repeat(pad) }, _meta: ENVELOPE } });
}

/** A well-framed tools/call: the request smuggled behind bad ones. */
function call(tag: string): string {
  const body = callBody(tag);
  return `POST /mcp HTTP/1.1\r\nHost: gw\r\n${CALL_HEADERS}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** A tools/call with `framing` as its Host and length headers (each line ends with CRLF), then `body`. */
function post(framing: string, body: string): string {
  return `POST /mcp HTTP/1.1\r\n${framing}${CALL_HEADERS}\r\n${body}`;
}

interface Exchange {
  /** Everything the gateway sent, latin1. */
  readonly bytes: string;
  /** Whether the gateway closed the connection within the wait. */
  readonly closed: boolean;
  readonly ms: number;
}

/** How many whole responses (heads and Content-Length bodies) `bytes` holds. */
function wholeResponses(bytes: string): number {
  let count = 0;
  for (let at = 0; ; count++) {
    const end = bytes.indexOf('\r\n\r\n', at);
    if (end === -1) return count;
    const length = /\r\ncontent-length: (\d+)/i.exec(bytes.slice(at, end));
    if (length === null || end + 4 + Number(length[1]) > bytes.length) return count;
    at = end + 4 + Number(length[1]);
  }
}

/**
 * Writes `parts` to a fresh connection, `gapMs` apart, and collects what comes back until the
 * gateway closes the connection, `responses` whole responses have come, or `waitMs` passes.
 */
function exchange(port: number, parts: string | readonly string[], { waitMs = PROMPT_MS + 500, gapMs = 100, responses = Infinity, on = undefined as net.Socket | undefined } = {}): Promise<Exchange> {
  const queue = typeof parts === 'string' ? [parts] : [...parts];
  return new Promise((resolve) => {
    const socket = on ?? net.connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    const started = Date.now();
    let bytes = '';
    let over = false;
    const finish = (closed: boolean) => {
      if (over) return;
      over = true;
      clearTimeout(timer);
      clearTimeout(next);
      socket.destroy();
      resolve({ bytes, closed, ms: Date.now() - started });
    };
    const timer = setTimeout(() => finish(false), waitMs);
    let next: NodeJS.Timeout | undefined;
    const write = () => {
      if (over || queue.length === 0) return;
      socket.write(Buffer.from(queue.shift()!, 'latin1'));
      next = setTimeout(write, gapMs);
    };
    socket.on('data', (chunk: Buffer) => {
      bytes += chunk.toString('latin1');
      if (wholeResponses(bytes) >= responses) finish(false);
    });
    socket.on('close', () => finish(true));
    // A write after the gateway closed: what matters is what came back before.
    socket.on('error', () => finish(true));
    if (on === undefined) socket.once('connect', write);
    else write();
  });
}

/** A connection opened now, to write on later (`exchange`'s `on`). */
function connected(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

interface Answer {
  readonly statusLine: string;
  readonly headers: ReadonlyMap<string, string>;
  readonly body: string;
  /** How many responses the bytes hold. */
  readonly responses: number;
}

function answerOf(bytes: string): Answer {
  const end = bytes.indexOf('\r\n\r\n');
  expect(end, `no response head in ${JSON.stringify(bytes)}`).toBeGreaterThan(0);
  const [statusLine, ...lines] = bytes.slice(0, end).split('\r\n');
  const headers = new Map(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  return { statusLine: statusLine!, headers, body: bytes.slice(end + 4), responses: bytes.match(/HTTP\/1\.1 \d{3} /g)?.length ?? 0 };
}

/** The one answer the gateway gives a refused request: its status, `Connection: close`, -32600 naming the fault, then the close. */
function expectRefused(x: Exchange, statusLine: string, message: string): void {
  const answer = answerOf(x.bytes);
  expect(answer.statusLine).toBe(statusLine);
  expect(answer.headers.get('connection')).toBe('close');
  expect(answer.headers.get('content-type')).toBe('application/json');
  expect(JSON.parse(answer.body)).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32600, message } });
  expect(answer.responses).toBe(1);
  expect(x.closed).toBe(true);
}

function expectServed(x: Exchange, responses = 1): void {
  const answer = answerOf(x.bytes);
  expect(answer.statusLine).toBe('HTTP/1.1 200 OK');
  expect(answer.responses).toBe(responses);
}

/** How uWS ends a connection it will not serve: no byte back, closed at once or at its idle cut. */
type Drop = 'at once' | 'at idle cut';

function dropOf(x: Exchange): string {
  if (x.bytes !== '') return `answered ${JSON.stringify(x.bytes.slice(0, 40))}`;
  if (!x.closed) return `open after ${x.ms} ms`;
  if (x.ms < PROMPT_MS) return 'at once';
  return x.ms >= IDLE_CUT_MS.min && x.ms <= IDLE_CUT_MS.max ? 'at idle cut' : `closed after ${x.ms} ms`;
}

describe('request framing at the edge', () => {
  let gw: TestGateway;
  let port: number;
  const pool = new FakePool({ github: { tools: [tool('search')], handlers: { search: (args) => textResult(`found ${String(args?.q)}`) } } });
  const ran = (tag: string) => pool.get('github').calls.some((c) => c.args?.q === tag);
  /** After a connection ends, whatever it delivered has been dispatched by the time a fresh call returns. */
  const settle = async (at = port) => {
    const control = freshTag();
    expectServed(await exchange(at, call(control), { responses: 1 }));
    expect(ran(control)).toBe(true);
  };

  beforeAll(async () => {
    gw = await startTestGateway(makeBundle({ servers: { github: { transport: 'streamable-http', url: 'http://127.0.0.1:1/mcp' } } }), { pool });
    port = Number(new URL(gw.url).port);
  });
  afterAll(() => gw?.close());

  it('serves the smuggling probe itself, alone and pipelined twice on one connection', async () => {
    const [one, two] = [freshTag(), freshTag()];
    expectServed(await exchange(port, call(one) + call(two), { responses: 2 }), 2);
    expect(ran(one) && ran(two)).toBe(true);
  });

  describe('refused with a status and Connection: close', () => {
    const body = callBody('never');
    const length = Buffer.byteLength(body);
    const cases: [string, string, string, string][] = [
      ['repeated equal Content-Length', post(`Host: gw\r\ncontent-length: ${length}\r\ncontent-length: ${length}\r\n`, body), '400 Bad Request', 'Bad Request: repeated Content-Length header'],
      ['conflicting Content-Length, shorter first', post(`Host: gw\r\ncontent-length: 5\r\ncontent-length: ${length}\r\n`, body), '400 Bad Request', 'Bad Request: conflicting Content-Length headers'],
      ['conflicting Content-Length, longer first', post(`Host: gw\r\ncontent-length: ${length}\r\ncontent-length: 5\r\n`, body), '400 Bad Request', 'Bad Request: conflicting Content-Length headers'],
      ['conflicting Content-Length in other cases', post(`Host: gw\r\nContent-Length: ${length}\r\nCONTENT-LENGTH: ${length + 1}\r\n`, body), '400 Bad Request', 'Bad Request: conflicting Content-Length headers'],
      ['empty Content-Length', post('Host: gw\r\ncontent-length:\r\n', ''), '400 Bad Request', 'Bad Request: Content-Length must be a number of bytes'],
      ['two Host headers', post(`Host: a\r\nHost: b\r\ncontent-length: ${length}\r\n`, body), '400 Bad Request', 'Bad Request: more than one Host header'],
      ['empty Host', post(`Host:\r\ncontent-length: ${length}\r\n`, body), '400 Bad Request', 'Bad Request: empty Host header'],
      ['DEL in a header value', post(`Host: gw\r\nx-note: a\x7fb\r\ncontent-length: ${length}\r\n`, body), '400 Bad Request', 'Bad Request: the x-note header holds a control character'],
      ['Transfer-Encoding gzip, chunked body', post('Host: gw\r\ntransfer-encoding: gzip\r\n', '5\r\nhello\r\n0\r\n\r\n'), '400 Bad Request', 'Bad Request: the last Transfer-Encoding must be chunked'],
      ['Transfer-Encoding chunked, gzip', post('Host: gw\r\ntransfer-encoding: chunked, gzip\r\n', '5\r\nhello\r\n0\r\n\r\n'), '400 Bad Request', 'Bad Request: the last Transfer-Encoding must be chunked'],
      ['Transfer-Encoding gzip, chunked', post('Host: gw\r\ntransfer-encoding: gzip, chunked\r\n', '5\r\nhello\r\n0\r\n\r\n'), '501 Not Implemented', 'Not Implemented: the only transfer coding accepted is chunked'],
      ['two Transfer-Encoding headers', post('Host: gw\r\ntransfer-encoding: gzip\r\ntransfer-encoding: chunked\r\n', '5\r\nhello\r\n0\r\n\r\n'), '501 Not Implemented', 'Not Implemented: the only transfer coding accepted is chunked'],
      ['request line over the head limit', `GET /mcp?${'a'.repeat(MAX_HEAD_BYTES)} HTTP/1.1\r\nHost: gw\r\n\r\n`, '414 URI Too Long', `URI Too Long: the request line exceeds ${MAX_HEAD_BYTES} bytes`],
      ['head over the limit in one read', `GET /mcp HTTP/1.1\r\nHost: gw\r\nx-big: ${'a'.repeat(MAX_HEAD_BYTES)}\r\n\r\n`, '431 Request Header Fields Too Large', `Request Header Fields Too Large: the request head exceeds ${MAX_HEAD_BYTES} bytes`],
      ['conflicting Content-Length on /healthz', 'GET /healthz HTTP/1.1\r\nHost: gw\r\ncontent-length: 0\r\ncontent-length: 5\r\n\r\n', '400 Bad Request', 'Bad Request: conflicting Content-Length headers'],
      ['conflicting Content-Length on a preflight', 'OPTIONS /mcp HTTP/1.1\r\nHost: gw\r\norigin: https://app.example\r\ncontent-length: 0\r\ncontent-length: 5\r\n\r\n', '400 Bad Request', 'Bad Request: conflicting Content-Length headers'],
      ['conflicting Content-Length on an unknown path', 'POST /nowhere HTTP/1.1\r\nHost: gw\r\ncontent-length: 0\r\ncontent-length: 5\r\n\r\n', '400 Bad Request', 'Bad Request: conflicting Content-Length headers'],
    ];

    it.each(cases)('%s', async (_name, request, status, message) => {
      expectRefused(await exchange(port, request), `HTTP/1.1 ${status}`, message);
    });

    it.each(cases.slice(0, 4))('%s: a request pipelined behind it in the same read makes uWS close the connection, and never runs', async (_name, request) => {
      const tag = freshTag();
      const x = await exchange(port, request + call(tag));
      expect(dropOf(x)).toBe('at once');
      await settle();
      expect(ran(tag)).toBe(false);
    });

    it('the smuggling shape: Content-Length 0 then the real length, the smuggled request as the body', async () => {
      const tag = freshTag();
      const smuggled = call(tag);
      const x = await exchange(port, post(`Host: gw\r\ncontent-length: 0\r\ncontent-length: ${Buffer.byteLength(smuggled)}\r\n`, smuggled));
      expect(dropOf(x)).toBe('at once');
      await settle();
      expect(ran(tag)).toBe(false);
    });

    it.each(cases.slice(0, 4))('%s: a request written after the refusal is never parsed', async (_name, request, status, message) => {
      const tag = freshTag();
      const x = await exchange(port, [request, call(tag)], { gapMs: 200 });
      expectRefused(x, `HTTP/1.1 ${status}`, message);
      await settle();
      expect(ran(tag)).toBe(false);
    });
  });

  describe('served as framed', () => {
    it('a chunked body without Content-Length is decoded, and the request behind it served too', async () => {
      const [one, two] = [freshTag(), freshTag()];
      const body = callBody(one);
      const chunked = `${Buffer.byteLength(body).toString(16)}\r\n${body}\r\n0\r\n\r\n`;
      expectServed(await exchange(port, post('Host: gw\r\ntransfer-encoding: Chunked\r\n', chunked) + call(two), { responses: 2 }), 2);
      expect(ran(one) && ran(two)).toBe(true);
    });

    it.each([
      ['HTAB in a value', 'x-note: a\tb\r\n'],
      ['obs-text (0xFF) in a value', 'x-note: a\xffb\r\n'],
      ['Content-Length with leading zeros and spaces', null],
    ])('%s', async (name, extra) => {
      const tag = freshTag();
      const body = callBody(tag);
      const framing = extra === null ? `Host: gw\r\ncontent-length:  00${Buffer.byteLength(body)}  \r\n` : `Host: gw\r\n${extra}content-length: ${Buffer.byteLength(body)}\r\n`;
      expectServed(await exchange(port, post(framing, body), { responses: 1 }));
      expect(ran(tag), name).toBe(true);
    });

    it(`a head under ${MAX_HEAD_BYTES} bytes in two reads, and Host with 47 more headers`, async () => {
      const big = `GET /healthz HTTP/1.1\r\nHost: gw\r\nx-big: ${'a'.repeat(MAX_HEAD_BYTES - 200)}\r\n\r\n`;
      expectServed(await exchange(port, [big.slice(0, 100), big.slice(100)], { responses: 1 }));
      expectServed(await exchange(port, `GET /healthz HTTP/1.1\r\nHost: gw\r\n${headers(47)}\r\n`, { responses: 1 }));
    });

    it('a body that arrives in parts within the deadline', async () => {
      const tag = freshTag();
      const body = callBody(tag);
      const third = Math.ceil(body.length / 3);
      const head = `POST /mcp HTTP/1.1\r\nHost: gw\r\n${CALL_HEADERS}content-length: ${body.length}\r\n\r\n`;
      expectServed(await exchange(port, [head, body.slice(0, third), body.slice(third, 2 * third), body.slice(2 * third)], { gapMs: 300, responses: 1 }));
      expect(ran(tag)).toBe(true);
    });
  });

  describe('dropped by uWS before any handler runs (pinned: no answer, and nothing behind it runs)', () => {
    it('Content-Length with Transfer-Encoding, no Host, a malformed Content-Length, or a coding other than chunked on a body that is not chunked: closed at once', async () => {
      const smuggled = (tag: string) => call(tag);
      const body = callBody('never');
      const length = Buffer.byteLength(body);
      const cases: Record<string, (tag: string) => string> = {
        'Content-Length then Transfer-Encoding chunked': (tag) => post(`Host: gw\r\ncontent-length: ${length}\r\ntransfer-encoding: chunked\r\n`, '0\r\n\r\n' + smuggled(tag)),
        'Transfer-Encoding chunked then Content-Length': (tag) => post(`Host: gw\r\ntransfer-encoding: chunked\r\ncontent-length: ${length}\r\n`, '0\r\n\r\n' + smuggled(tag)),
        'Content-Length with Transfer-Encoding gzip': (tag) => post(`Host: gw\r\ncontent-length: ${length}\r\ntransfer-encoding: gzip\r\n`, body + smuggled(tag)),
        'no Host': (tag) => post(`content-length: ${length}\r\n`, body) + smuggled(tag),
        'Content-Length "n, n"': (tag) => post(`Host: gw\r\ncontent-length: ${length}, ${length}\r\n`, body) + smuggled(tag),
        'Content-Length -1': (tag) => post('Host: gw\r\ncontent-length: -1\r\n', body) + smuggled(tag),
        'Content-Length +n': (tag) => post(`Host: gw\r\ncontent-length: +${length}\r\n`, body) + smuggled(tag),
        'Content-Length 0x10': (tag) => post('Host: gw\r\ncontent-length: 0x10\r\n', body) + smuggled(tag),
        'Content-Length of ten digits': (tag) => post('Host: gw\r\ncontent-length: 0000000001\r\n', body) + smuggled(tag),
        'Transfer-Encoding gzip, body not chunked': (tag) => post('Host: gw\r\ntransfer-encoding: gzip\r\n', body) + smuggled(tag),
      };
      const tags = Object.fromEntries(Object.keys(cases).map((name) => [name, freshTag()]));
      const outcomes = await Promise.all(Object.entries(cases).map(async ([name, request]) => [name, dropOf(await exchange(port, request(tags[name]!)))] as const));
      expect(Object.fromEntries(outcomes)).toEqual(Object.fromEntries(Object.keys(cases).map((name) => [name, 'at once' satisfies Drop])));
      await settle();
      expect(Object.keys(cases).filter((name) => ran(tags[name]!))).toEqual([]);
    });

    it(
      'bytes uWS cannot parse (control bytes, obs-fold, names beyond letters, digits and -, HTTP/1.0 and other versions, more than 48 fields), and a keep-alive connection left idle: held unanswered until the idle cut',
      async () => {
        const body = callBody('never');
        const length = Buffer.byteLength(body);
        const withHeader = (line: string) => (tag: string) => post(`Host: gw\r\n${line}content-length: ${length}\r\n`, body) + call(tag);
        const line = (version: string, extra = '') => (tag: string) => `POST /mcp ${version}\r\nHost: gw\r\n${extra}${CALL_HEADERS}content-length: ${length}\r\n\r\n${body}` + call(tag);
        const cases: Record<string, (tag: string) => string> = {
          'NUL in a value': withHeader('x-note: a\0b\r\n'),
          'CR in a value': withHeader('x-note: a\rb\r\n'),
          '0x01 in a value': withHeader('x-note: a\x01b\r\n'),
          'bare LF ending a line': (tag) => post(`Host: gw\nx-note: a\r\ncontent-length: ${length}\r\n`, body) + call(tag),
          'NUL in a name': withHeader('x\0note: a\r\n'),
          'space in a name': withHeader('x note: a\r\n'),
          'space before the colon': withHeader('x-note : a\r\n'),
          'underscore in a name': withHeader('x_note: a\r\n'),
          'dot in a name': withHeader('x.note: a\r\n'),
          'a line without a colon': withHeader('x-note\r\n'),
          'obs-fold with SP': withHeader('x-note: a\r\n b\r\n'),
          'obs-fold with HTAB': withHeader('x-note: a\r\n\tb\r\n'),
          'HTTP/1.0': line('HTTP/1.0'),
          'HTTP/1.0 with keep-alive': line('HTTP/1.0', 'connection: keep-alive\r\n'),
          'HTTP/1.0 without Host': (tag) => `GET /healthz HTTP/1.0\r\n\r\n` + call(tag),
          'HTTP/0.9': (tag) => 'GET /healthz\r\n' + call(tag),
          'HTTP/1.2': line('HTTP/1.2'),
          'HTTP/2.0 over HTTP/1 framing': line('HTTP/2.0'),
          'lower-case http/1.1': line('http/1.1'),
          'no header at all': (tag) => 'GET /healthz HTTP/1.1\r\n\r\n' + call(tag),
          'Host and 48 more headers': (tag) => `GET /healthz HTTP/1.1\r\nHost: gw\r\n${headers(48)}\r\n` + call(tag),
          'headers that never end': () => 'POST /mcp HTTP/1.1\r\nHost: gw\r\n',
          'an idle connection': () => '',
        };
        const tags = Object.fromEntries(Object.keys(cases).map((name) => [name, freshTag()]));
        // Beside them, and with the same cut: a keep-alive connection left idle after its answer.
        const [outcomes, idleAfterAnswer] = await Promise.all([
          Promise.all(Object.entries(cases).map(async ([name, request]) => [name, dropOf(await exchange(port, request(tags[name]!), { waitMs: IDLE_CUT_MS.max }))] as const)),
          exchange(port, call(freshTag()), { waitMs: IDLE_CUT_MS.max }),
        ]);
        expect(Object.fromEntries(outcomes)).toEqual(Object.fromEntries(Object.keys(cases).map((name) => [name, 'at idle cut' satisfies Drop])));
        await settle();
        expect(Object.keys(cases).filter((name) => ran(tags[name]!))).toEqual([]);
        expectServed(idleAfterAnswer);
        expect(idleAfterAnswer.closed).toBe(true);
        expect(idleAfterAnswer.ms).toBeGreaterThanOrEqual(IDLE_CUT_MS.min);
        expect(idleAfterAnswer.ms).toBeLessThanOrEqual(IDLE_CUT_MS.max);
      },
      IDLE_CUT_MS.max + 10_000,
    );

    it('an unparsable head with 4 KB more behind it in the same read is closed at once, unanswered', async () => {
      const tag = freshTag();
      const x = await exchange(port, 'GET /healthz HTTP/1.1\r\nHost: gw\r\nx-note: a\0b\r\n\r\n' + call(tag).repeat(Math.ceil(MAX_HEAD_BYTES / call(tag).length) + 1));
      expect(dropOf(x)).toBe('at once');
      await settle();
      expect(ran(tag)).toBe(false);
    });

    it(`a head over ${MAX_HEAD_BYTES} bytes that arrives in two reads is closed at once, unanswered`, async () => {
      const big = `GET /healthz HTTP/1.1\r\nHost: gw\r\nx-big: ${'a'.repeat(MAX_HEAD_BYTES + 100)}\r\n\r\n`;
      expect(dropOf(await exchange(port, [big.slice(0, 100), big.slice(100)]))).toBe('at once');
    });
  });

  describe('every reply that closes the connection leaves nothing behind it to run', () => {
    const LIMIT = 2048;
    let small: TestGateway;
    let smallPort: number;

    beforeAll(async () => {
      small = await startTestGateway(makeBundle({ servers: { github: { transport: 'streamable-http', url: 'http://127.0.0.1:1/mcp' } }, gateway: { max_request_bytes: LIMIT } }), { pool });
      smallPort = Number(new URL(small.url).port);
    });
    afterAll(() => small?.close());

    const oversized = callBody('never', LIMIT);
    const cases: [string, string, string, string][] = [
      ['413, announced Content-Length over the limit', post(`Host: gw\r\ncontent-length: ${Buffer.byteLength(oversized)}\r\n`, oversized), '413 Payload Too Large', `Payload Too Large: the body exceeds ${LIMIT} bytes`],
      [
        '413, a chunked body found over the limit while read',
        post('Host: gw\r\ntransfer-encoding: chunked\r\n', `${Buffer.byteLength(oversized).toString(16)}\r\n${oversized}\r\n0\r\n\r\n`),
        '413 Payload Too Large',
        `Payload Too Large: the body exceeds ${LIMIT} bytes`,
      ],
      [
        '415, a body that is not JSON',
        `POST /mcp HTTP/1.1\r\nHost: gw\r\ncontent-type: text/plain\r\naccept: application/json, text/event-stream\r\nmcp-protocol-version: ${MODERN}\r\ncontent-length: 5\r\n\r\nhello`,
        '415 Unsupported Media Type',
        'Unsupported Media Type: the body must be application/json',
      ],
      ['400, a GET with a body', `GET /mcp HTTP/1.1\r\nHost: gw\r\naccept: text/event-stream\r\nmcp-protocol-version: ${MODERN}\r\ncontent-length: 5\r\n\r\nhello`, '400 Bad Request', 'Bad Request: a GET request has no body'],
      [
        '400, a DELETE with a chunked body',
        `DELETE /mcp/github HTTP/1.1\r\nHost: gw\r\nmcp-session-id: s\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n`,
        '400 Bad Request',
        'Bad Request: a DELETE request has no body',
      ],
    ];

    it.each(cases)('%s: answered with Connection: close', async (_name, request, status, message) => {
      expectRefused(await exchange(smallPort, request), `HTTP/1.1 ${status}`, message);
    });

    it.each(cases)('%s: a request pipelined behind it in the same read makes uWS close the connection, and never runs', async (_name, request) => {
      const tag = freshTag();
      const x = await exchange(smallPort, request + call(tag));
      expect(dropOf(x)).toBe('at once');
      await settle(smallPort);
      expect(ran(tag)).toBe(false);
    });

    it.each(cases)('%s: a request written after the reply is never parsed', async (_name, request, status, message) => {
      const tag = freshTag();
      const x = await exchange(smallPort, [request, call(tag)], { gapMs: 200 });
      expectRefused(x, `HTTP/1.1 ${status}`, message);
      await settle(smallPort);
      expect(ran(tag)).toBe(false);
    });

    it('a GET or DELETE with Content-Length: 0 is served as one without a body', async () => {
      const get = (extra: string) => `GET /mcp HTTP/1.1\r\nHost: gw\r\naccept: text/event-stream\r\nmcp-protocol-version: ${MODERN}\r\n${extra}\r\n`;
      const [bare, zero] = await Promise.all([exchange(smallPort, get(''), { responses: 1 }), exchange(smallPort, get('content-length: 0\r\n'), { responses: 1 })]);
      expect(answerOf(zero.bytes).statusLine).toBe(answerOf(bare.bytes).statusLine);
      expect(answerOf(zero.bytes).body).toBe(answerOf(bare.bytes).body);
      expect(answerOf(zero.bytes).body).not.toContain('has no body');
    });

    it('a GET with a body off the MCP routes: uWS reads the body past, and the request pipelined behind it is served', async () => {
      const tag = freshTag();
      expectServed(await exchange(smallPort, 'GET /healthz HTTP/1.1\r\nHost: gw\r\ncontent-length: 5\r\n\r\nhello' + call(tag), { responses: 2 }), 2);
      expect(ran(tag)).toBe(true);
    });
  });

  it('while the gateway drains every reply closes its connection, a large one written at the client\'s pace too, and a request pipelined behind one never runs', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // Larger than a reply copied whole (reply.ts FLATTEN_BYTES): written by a BodyWriter.
    const large = 'x'.repeat(300_000);
    const drainPool = new FakePool({
      github: {
        tools: [tool('search'), tool('hold')],
        handlers: { search: (args) => textResult(`found ${String(args?.q)}`), hold: () => held.then(() => textResult(large)) },
      },
    });
    const drainRan = (tag: string) => drainPool.get('github').calls.some((c) => c.args?.q === tag);
    const draining = await startTestGateway(makeBundle({ servers: { github: { transport: 'streamable-http', url: 'http://127.0.0.1:1/mcp' } } }), { pool: drainPool });
    const at = Number(new URL(draining.url).port);
    try {
      // Opened before the drain, which stops accepting connections.
      const [alone, pipelined] = await Promise.all([connected(at), connected(at)]);
      const holdBody = callBody(freshTag()).replace('github__search', 'github__hold');
      const hold = `POST /mcp HTTP/1.1\r\nHost: gw\r\n${CALL_HEADERS.replace('github__search', 'github__hold')}content-length: ${Buffer.byteLength(holdBody)}\r\n\r\n${holdBody}`;
      const holding = exchange(at, hold, { waitMs: 10_000, responses: 1 });
      while (!drainPool.get('github').calls.some((c) => c.name === 'hold')) await delay(10);
      const drained = draining.drain(10_000);
      const health = 'GET /healthz HTTP/1.1\r\nHost: gw\r\n\r\n';
      const tag = freshTag();
      const [answered, behind] = await Promise.all([exchange(at, health, { on: alone }), exchange(at, health + call(tag), { on: pipelined })]);
      expectServed(answered);
      expect(answerOf(answered.bytes).headers.get('connection')).toBe('close');
      expect(answered.closed).toBe(true);
      expect(dropOf(behind)).toBe('at once');
      release();
      const heldAnswer = await holding;
      expectServed(heldAnswer);
      expect(answerOf(heldAnswer.bytes).headers.get('connection')).toBe('close');
      expect(heldAnswer.bytes).toContain(large);
      // Whatever the connection delivered was dispatched before the drain could end.
      await drained;
      expect(drainRan(tag)).toBe(false);
    } finally {
      release();
      await draining.close();
    }
  });

  describe('a body that stalls', () => {
    const message = `Request Timeout: less than ${BODY_PROGRESS_BYTES / 1024} KiB of the body arrived in ${BODY_STALL_MS / 1000} s`;
    const waitMs = UWS_EARLIEST_BODY_CUT_MS + 4_000;

    it(
      'gets 408 and Connection: close before uWS would cut it: a declared body that never comes, and one that trickles',
      async () => {
        const tag = freshTag();
        const body = callBody(tag, 20_000);
        const head = `POST /mcp HTTP/1.1\r\nHost: gw\r\n${CALL_HEADERS}content-length: ${body.length}\r\n\r\n`;
        const trickle = [head, ...Array.from({ length: 20 }, (_, i) => body.slice(i * 1000, (i + 1) * 1000))];
        const [never, slow] = await Promise.all([exchange(port, head, { waitMs }), exchange(port, trickle, { waitMs, gapMs: 500 })]);
        for (const x of [never, slow]) {
          expectRefused(x, 'HTTP/1.1 408 Request Timeout', message);
          expect(x.ms).toBeGreaterThanOrEqual(BODY_STALL_MS - 100);
          expect(x.ms).toBeLessThan(UWS_EARLIEST_BODY_CUT_MS);
        }
        await settle();
        expect(ran(tag)).toBe(false);
      },
      waitMs + 10_000,
    );
  });
});

function headers(count: number): string {
  return Array.from({ length: count }, (_, i) => `x-h${i}: v\r\n`).join('');
}
