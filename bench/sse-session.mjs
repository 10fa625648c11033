/**
 * A legacy HTTP+SSE (2024-11-05) client session, the only downstream transport mcp-hub serves:
 * `GET <url>` opens the event stream, whose first `endpoint` event names the POST URL
 * (`/messages?sessionId=…`); each request is POSTed there (answered 202) and its response arrives on
 * the stream, matched to the caller by JSON-RPC id. Several calls may be in flight at once.
 */
import http from 'node:http';
import { initializeParams } from './mcp-wire.mjs';

const CALL_TIMEOUT_MS = 10_000;
const OPEN_TIMEOUT_MS = 10_000;

/** Resolves to `{ call(method, params), close() }` once the session is initialized. */
export async function openSseSession(url, { inFlight = 1 } = {}) {
  // One socket per concurrent POST, kept alive; the stream has its own agent so it never blocks one.
  const agent = new http.Agent({ keepAlive: true, maxSockets: inFlight });
  const streamAgent = new http.Agent({ keepAlive: false });
  const pending = new Map();
  let nextId = 1;
  let closed = false;
  let streamRequest;

  const endpoint = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${url}: no endpoint event within ${OPEN_TIMEOUT_MS} ms`)), OPEN_TIMEOUT_MS);
    streamRequest = http.get(url, { agent: streamAgent, headers: { accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) {
        clearTimeout(timer);
        reject(new Error(`${url}: GET answered ${res.statusCode}`));
        res.resume();
        return;
      }
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (text) => {
        buffer += text;
        let end;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const event = parseEvent(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (event.type === 'endpoint') {
            clearTimeout(timer);
            resolve(new URL(event.data, url));
          } else if (event.type === 'message') deliver(JSON.parse(event.data));
        }
      });
      res.on('close', () => failAll(new Error(`${url}: event stream closed`)));
    });
    streamRequest.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
      failAll(error);
    });
  });

  function deliver(message) {
    const entry = message.id === undefined ? undefined : pending.get(message.id);
    if (entry === undefined) return; // a notification, or a response to a request already given up
    pending.delete(message.id);
    clearTimeout(entry.timer);
    entry.resolve(message);
  }

  function failAll(error) {
    for (const [id, entry] of pending) {
      pending.delete(id);
      clearTimeout(entry.timer);
      entry.reject(error);
    }
  }

  function post(message) {
    const body = JSON.stringify(message);
    return new Promise((resolve, reject) => {
      const request = http.request(endpoint, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode >= 200 && res.statusCode < 300 ? resolve() : reject(new Error(`POST ${endpoint.pathname} answered ${res.statusCode}`))));
      });
      request.on('error', reject);
      request.end(body);
    });
  }

  /** One request; resolves to the JSON-RPC response message (result or error). */
  function call(method, params = {}) {
    if (closed) return Promise.reject(new Error('session closed'));
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`${method}: no response within ${CALL_TIMEOUT_MS} ms`));
      }, CALL_TIMEOUT_MS);
      pending.set(id, { resolve, reject, timer });
      post({ jsonrpc: '2.0', id, method, params }).catch((error) => {
        if (!pending.delete(id)) return;
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  const session = {
    call,
    close() {
      closed = true;
      failAll(new Error('session closed'));
      streamRequest.destroy();
      agent.destroy();
      streamAgent.destroy();
    },
  };
  try {
    const init = await call('initialize', initializeParams());
    if (init.error !== undefined) throw new Error(`${url}: initialize failed: ${init.error.message}`);
    await post({ jsonrpc: '2.0', method: 'notifications/initialized' });
  } catch (error) {
    session.close();
    throw error;
  }
  return session;
}

function parseEvent(block) {
  let type = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) type = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  return { type, data: data.join('\n') };
}
