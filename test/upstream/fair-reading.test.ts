/**
 * Fair reading between upstream sockets (http-pool.ts): a socket streaming a large answer hands over
 * a bounded share of it per turn of the event loop, so other servers' answers are read in between.
 * Measured here as the most bytes of one answer delivered within one turn (a setImmediate chain counts
 * the turns), over plain TCP and over TLS (each server in a process of its own), whose reads arrive as decrypted records of at most 16 KiB
 * and so never look like a full read of the shared buffer.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpPool } from '../../runtime/upstream/http-pool.js';
import type { ResponseSink } from '../../runtime/upstream/http-response.js';
import { makeTestCa } from './tls-front.js';

const ANSWER = 16 * 1024 * 1024;
/** Two 64 KiB reads unpaused, and what one TLS record or a socket's last read adds. */
const MOST_PER_TURN = 256 * 1024;

/** The servers, in processes of their own: in this one, their writing (and encrypting) would pace the reads they are to flood. */
const servers: ChildProcess[] = [];
let plainPort = 0;
let tlsPort = 0;
const saved = process.env.NODE_EXTRA_CA_CERTS;

/** A server answering every request with ANSWER bytes written as fast as the socket takes them; HTTPS when given KEY and CERT. */
const SERVER = `
import http from 'node:http';
import https from 'node:https';
const piece = Buffer.alloc(1024 * 1024, 'x');
const answer = (req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(${ANSWER}) });
    let left = ${ANSWER} / piece.length;
    const pump = () => {
      while (left > 0) {
        left--;
        if (!res.write(piece)) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  });
};
const server = process.env.KEY ? https.createServer({ key: process.env.KEY, cert: process.env.CERT }, answer) : http.createServer(answer);
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

/** Starts SERVER with `env`; resolves to its port. */
function startServer(env: Record<string, string>): Promise<number> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', SERVER], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  servers.push(child);
  return new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
    child.once('exit', (code) => reject(new Error(`the answering server exited with ${code}`)));
  });
}

beforeAll(async () => {
  const ca = makeTestCa();
  // The first TLS connection builds the trusted context from the environment it finds (trust.ts).
  process.env.NODE_EXTRA_CA_CERTS = ca.caFile;
  [plainPort, tlsPort] = await Promise.all([startServer({}), startServer({ KEY: ca.key, CERT: ca.cert })]);
});

afterAll(() => {
  process.env.NODE_EXTRA_CA_CERTS = saved;
  for (const child of servers) child.kill();
});

/** Reads one answer through `pool`: its size, and the most of it that arrived within one turn of the event loop. */
function streamed(pool: HttpPool): Promise<{ total: number; mostPerTurn: number }> {
  return new Promise((resolve, reject) => {
    let turn = 0;
    let done = false;
    const tick = () => {
      turn++;
      if (!done) setImmediate(tick);
    };
    setImmediate(tick);
    let total = 0;
    let readTurn = -1;
    let inTurn = 0;
    let mostPerTurn = 0;
    const sink: ResponseSink = {
      head: () => {},
      data: (chunk) => {
        total += chunk.length;
        if (turn !== readTurn) {
          readTurn = turn;
          inTurn = 0;
        }
        inTurn += chunk.length;
        mostPerTurn = Math.max(mostPerTurn, inTurn);
      },
      end: () => {
        done = true;
        resolve({ total, mostPerTurn });
      },
      fail: (error) => {
        done = true;
        reject(error);
      },
    };
    pool.post('content-type: application/json\r\n', '{}', sink);
  });
}

describe('fair reading of a large answer', () => {
  it.each([
    ['plain TCP', () => `http://127.0.0.1:${plainPort}/`],
    ['TLS', () => `https://localhost:${tlsPort}/`],
  ])('%s: at most a few reads of it per turn of the event loop', async (_label, url) => {
    const pool = new HttpPool(new URL(url()), 1);
    try {
      const { total, mostPerTurn } = await streamed(pool);
      expect(total).toBe(ANSWER);
      expect(mostPerTurn).toBeLessThanOrEqual(MOST_PER_TURN);
    } finally {
      pool.close();
    }
  });
});
