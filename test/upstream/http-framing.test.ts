/**
 * Response framing in the HTTP pool (http-pool.ts) against a raw node:net server on loopback that
 * writes exactly the bytes each case gives, in pieces split where a parser is most likely to slip: in
 * the CRLF ending the head, inside a chunk-size line and its extension, between a chunk's data and its
 * CRLF, inside the trailers and the last chunk. `Connection: close` answers must be read to the end
 * and never reused; chunked answers must keep the connection.
 */
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HttpPool } from '../../runtime/upstream/http-pool.js';
import type { ResponseSink } from '../../runtime/upstream/http-response.js';

interface Answer {
  status: number;
  head: string;
  length: number;
  body: string;
}

/** The response the server writes next, as pieces written one after another, with a pause between. */
let script: Buffer[] = [];
/** Closes the connection after writing the script. */
let closeAfter = false;
let connections = 0;
const requests: string[] = [];
let server: net.Server;
let url: URL;

/** Between pieces: long enough that each arrives as a read of its own. */
let gapMs = 5;
const pause = () => new Promise((resolve) => setTimeout(resolve, gapMs));

beforeAll(async () => {
  server = net.createServer((socket) => {
    connections++;
    socket.setNoDelay(true);
    let pending = '';
    socket.on('data', async (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      const end = pending.indexOf('\r\n\r\n');
      if (end === -1) return;
      const length = Number(/\r\ncontent-length: (\d+)/i.exec(pending.slice(0, end))?.[1] ?? 0);
      if (pending.length < end + 4 + length) return;
      requests.push(pending.slice(0, end + 4 + length));
      pending = '';
      const pieces = script;
      for (const piece of pieces) {
        socket.write(piece);
        await pause();
      }
      if (closeAfter) socket.end();
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = new URL(`http://127.0.0.1:${(server.address() as net.AddressInfo).port}/mcp`);
});

afterEach(() => {
  connections = 0;
  requests.length = 0;
  closeAfter = false;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** `text` split before each of the given offsets (negative ones count from the end). */
function split(text: string, ...at: number[]): Buffer[] {
  const bytes = Buffer.from(text, 'latin1');
  const cuts = [...new Set(at.map((n) => (n < 0 ? bytes.length + n : n)))].filter((n) => n > 0 && n < bytes.length).sort((a, b) => a - b);
  return [0, ...cuts].map((start, i) => bytes.subarray(start, cuts[i] ?? bytes.length));
}

function everyByte(text: string): Buffer[] {
  return [...Buffer.from(text, 'latin1')].map((byte) => Buffer.from([byte]));
}

function exchange(pool: HttpPool, body = '{}'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let answer: Omit<Answer, 'body'> | undefined;
    const chunks: Buffer[] = [];
    const sink: ResponseSink = {
      head: (status, _type, head, length) => void (answer = { status, head, length }),
      data: (chunk) => void chunks.push(Buffer.from(chunk)),
      end: () => resolve({ ...answer!, body: Buffer.concat(chunks).toString('utf8') }),
      fail: reject,
    };
    pool.post('content-type: application/json\r\n', body, sink);
  });
}

const CHUNKED =
  'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n' +
  '7;name=value;quoted="a;b"\r\n{"a":1,\r\n' +
  'c\r\n"b":"hello"}\r\n' +
  '0;last\r\nx-trailer: yes\r\nother-trailer: 1\r\n\r\n';
const CHUNKED_BODY = '{"a":1,"b":"hello"}';
/** Where CHUNKED is split: inside the head's final CRLF, the size line and extension, data/CRLF, the trailers, the last chunk. */
const CHUNKED_SPLITS = [CHUNKED.indexOf('\r\n\r\n') + 1, CHUNKED.indexOf('\r\n\r\n') + 3, CHUNKED.indexOf(';name'), CHUNKED.indexOf('="a;b"') + 3,
  CHUNKED.indexOf('{"a":1,') + 7, CHUNKED.indexOf('{"a":1,') + 8, CHUNKED.indexOf('c\r\n"b"') + 1, CHUNKED.indexOf('0;last') + 1,
  CHUNKED.indexOf('x-trailer') + 4, CHUNKED.indexOf('other-trailer: 1\r\n') + 17, -2, -1];

describe('HTTP pool framing', () => {
  it('reads a chunked body with chunk extensions and trailers split at awkward places, and keeps the connection', async () => {
    script = split(CHUNKED, ...CHUNKED_SPLITS);
    expect(script.length).toBe(CHUNKED_SPLITS.length + 1);
    const pool = new HttpPool(url, 1);
    try {
      expect(await exchange(pool)).toMatchObject({ status: 200, length: -1, body: CHUNKED_BODY });
      expect(await exchange(pool)).toMatchObject({ body: CHUNKED_BODY });
      expect(connections).toBe(1);
      expect(requests).toHaveLength(2);
    } finally {
      pool.close();
    }
  });

  it('reads a chunked body written one byte at a time', async () => {
    const body = JSON.stringify({ result: { content: [{ type: 'text', text: 'x'.repeat(40) }] } });
    const wire = `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n5;ext\r\n${body.slice(0, 5)}\r\n${(body.length - 5).toString(16)}\r\n${body.slice(5)}\r\n0\r\nx-t: 1\r\n\r\n`;
    script = everyByte(wire);
    gapMs = 1;
    const pool = new HttpPool(url, 1);
    try {
      expect(await exchange(pool)).toMatchObject({ status: 200, length: -1, body });
      expect(connections).toBe(1);
    } finally {
      pool.close();
      gapMs = 5;
    }
  });

  it('does not reuse a connection whose answer said Connection: close, and sends the next request on a new one', async () => {
    const body = '{"jsonrpc":"2.0","id":1,"result":{}}';
    const wire = `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`;
    script = split(wire, wire.indexOf('\r\n\r\n') + 2, -body.length + 1, -1);
    closeAfter = true;
    const pool = new HttpPool(url, 1);
    try {
      expect(await exchange(pool)).toMatchObject({ status: 200, length: body.length, body });
      expect(await exchange(pool)).toMatchObject({ status: 200, body });
      expect(connections).toBe(2);
    } finally {
      pool.close();
    }
  });

  it('reads a Connection: close answer without a length to the end of the connection', async () => {
    const body = 'event: message\ndata: {"jsonrpc":"2.0","id":1,"result":{}}\n\n';
    const wire = `HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n${body}`;
    script = split(wire, wire.indexOf('\r\n\r\n') + 1, wire.indexOf('\r\n\r\n') + 4, -20, -1);
    closeAfter = true;
    const pool = new HttpPool(url, 1);
    try {
      expect(await exchange(pool)).toMatchObject({ status: 200, length: -1, body });
      expect(await exchange(pool)).toMatchObject({ status: 200, body });
      expect(connections).toBe(2);
    } finally {
      pool.close();
    }
  });

  it('reads a chunked answer that also says Connection: close, then opens a new connection', async () => {
    const wire = 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n3\r\nabc\r\n0\r\n\r\n';
    script = split(wire, -5, -4, -3, -2, -1);
    closeAfter = true;
    const pool = new HttpPool(url, 1);
    try {
      expect(await exchange(pool)).toMatchObject({ status: 200, length: -1, body: 'abc' });
      expect(await exchange(pool)).toMatchObject({ body: 'abc' });
      expect(connections).toBe(2);
    } finally {
      pool.close();
    }
  });

  it('closes an HTTP/1.0 answer without keep-alive after it', async () => {
    const wire = 'HTTP/1.0 200 OK\r\ncontent-length: 2\r\n\r\nok';
    script = split(wire, -1);
    closeAfter = true;
    const pool = new HttpPool(url, 1);
    try {
      expect(await exchange(pool)).toMatchObject({ body: 'ok' });
      expect(await exchange(pool)).toMatchObject({ body: 'ok' });
      expect(connections).toBe(2);
    } finally {
      pool.close();
    }
  });
});
