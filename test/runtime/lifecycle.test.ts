/**
 * `mcpgw serve` as an orchestrator runs it (DESIGN §7): a port another process holds is refused, SIGTERM
 * drains (the calls in flight are answered, new connections are not taken, stdio children stop, exit 0),
 * SIGHUP reloads the bundle file atomically and a bad one keeps the old serving. Every case runs the
 * built CLI as a child process against a real stdio upstream whose `slow` tool sleeps.
 */
import { existsSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, spawnListening } from '../helpers/cli.js';
import { STDIO_SERVER } from '../fixtures/paths.mjs';
import { SPAWN_LOG_ENV } from '../fixtures/stdio-tools.mjs';
import { makeBundle, writeBundle } from './helpers/bundle.js';
import { ALL_CLIENT_KINDS, connectClient } from './helpers/clients.js';
import type { Bundle } from '../../schema/bundle.types.js';
import type { ChildProcess } from 'node:child_process';

const MODERN = '2026-07-28';
const META = { 'io.modelcontextprotocol/protocolVersion': MODERN, 'io.modelcontextprotocol/clientCapabilities': {} };

/** A bundle of one stdio fixture named `name`, which appends its pid to `spawnLog` when it starts. */
function fixtureBundle(name: string, spawnLog?: string): Bundle {
  return makeBundle({
    servers: { [name]: { transport: 'stdio', command: process.execPath, args: [STDIO_SERVER], ...(spawnLog ? { env: { [SPAWN_LOG_ENV]: spawnLog } } : {}) } },
  });
}

/** One stateless 2026-07-28 request, as any client sends it. */
async function rpc(url: string, method: string, params: Record<string, unknown> = {}): Promise<{ result?: any; error?: { code: number; message: string } }> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', 'mcp-protocol-version': MODERN, 'mcp-method': method };
  if (typeof params.name === 'string') headers['mcp-name'] = params.name;
  const response = await fetch(`${url}/mcp`, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: { ...params, _meta: META } }) });
  return response.json() as Promise<{ result?: any; error?: { code: number; message: string } }>;
}

const slow = (url: string, server: string, ms: number) => rpc(url, 'tools/call', { name: `${server}__slow`, arguments: { ms } });
const toolNames = async (url: string) => ((await rpc(url, 'tools/list')).result.tools as { name: string }[]).map((t) => t.name);

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Whether a TCP connection to `url`'s port is accepted. */
function accepts(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(Number(new URL(url).port), '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/** A keep-alive connection opened now, to send a request on after the listen socket has closed. */
async function openConnection(url: string): Promise<{ get(path: string): Promise<string>; socket: Socket }> {
  const socket = connect(Number(new URL(url).port), '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  return {
    socket,
    get: (path) =>
      new Promise((resolve) => {
        let text = '';
        const onData = (chunk: Buffer) => {
          text += chunk.toString('utf8');
          const head = text.indexOf('\r\n\r\n');
          const length = /content-length: (\d+)/i.exec(text)?.[1];
          if (head !== -1 && length !== undefined && text.length >= head + 4 + Number(length)) {
            socket.off('data', onData);
            resolve(text);
          }
        };
        socket.on('data', onData);
        socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
      }),
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const pidsIn = (file: string): number[] => {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
};

describe('mcpgw serve lifecycle', () => {
  const started: ChildProcess[] = [];
  const serve = async (bundlePath: string, ...args: string[]) => {
    const gateway = await spawnListening(['dist/cli/main.js', 'serve', bundlePath, '--port', '0', ...args]);
    started.push(gateway.child);
    return gateway;
  };
  afterEach(() => {
    for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  it('refuses a port another gateway holds, exit 1 naming it, and the first keeps serving its bundle', async () => {
    const first = await serve(await writeBundle(fixtureBundle('alpha')));
    const port = new URL(first.url).port;
    const second = await runCli(['serve', await writeBundle(fixtureBundle('beta')), '--port', port]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`cannot listen on 127.0.0.1:${port}: the port is in use`);
    expect(second.stdout).not.toContain('listening');
    // Every connection still reaches the first gateway and its bundle, none a second one.
    const digests = await Promise.all(Array.from({ length: 10 }, async () => ((await (await fetch(`${first.url}/healthz`)).json()) as { digest: string }).digest));
    expect(new Set(digests)).toEqual(new Set([fixtureBundle('alpha').digest]));
  });

  it('SIGTERM: 20 calls in flight are all answered, new connections are refused, /readyz says draining, the stdio child stops, exit 0', async () => {
    const spawnLog = join(mkdtempSync(join(tmpdir(), 'mcpgw-lifecycle-')), 'spawned.log');
    const gw = await serve(await writeBundle(fixtureBundle('alpha', spawnLog)));
    expect(await toolNames(gw.url)).toContain('alpha__slow');
    const [childPid] = pidsIn(spawnLog);
    expect(childPid).toBeGreaterThan(0);
    const kept = await openConnection(gw.url);

    const calls = Array.from({ length: 20 }, () => slow(gw.url, 'alpha', 1500));
    // Long enough for all 20 to reach the gateway, well short of the 1.5 s they take.
    await new Promise((resolve) => setTimeout(resolve, 500));
    gw.child.kill('SIGTERM');

    await expect.poll(() => accepts(gw.url), { timeout: 2_000 }).toBe(false);
    const ready = await kept.get('/readyz');
    expect(ready).toMatch(/^HTTP\/1\.1 503/);
    expect(ready).toMatch(/connection: close/i);
    expect(ready).toContain('"draining":true');

    const results = await Promise.all(calls);
    for (const result of results) expect(result.result?.content).toEqual([{ type: 'text', text: 'slept 1500 ms' }]);
    expect(await exited(gw.child)).toEqual({ code: 0, signal: null });
    expect(gw.stderr()).toContain('drained: the 20 requests in flight answered in');
    await expect.poll(() => isAlive(childPid!), { timeout: 5_000 }).toBe(false);
  });

  it('SIGTERM: a call in flight from every client kind (2026-07-28, 2025 sessions, 2024-11-05 SSE) is answered before the streams end', async () => {
    const gw = await serve(await writeBundle(fixtureBundle('alpha')));
    const clients = await Promise.all(ALL_CLIENT_KINDS.map((kind) => connectClient(kind, `${gw.url}/mcp`)));
    // The 2024-11-05 answer goes out on the session stream after the POST's 202: it takes longest, so
    // only a drain that waits for it (not for the 202) gets it out before the stream ends.
    const sleep = (kind: string) => (kind === 'sse' ? 1500 : 1000);
    const calls = clients.map((client) => client.call('alpha__slow', { ms: sleep(client.kind) }).then((result) => [client.kind, result], (e: Error) => [client.kind, e.message]));
    await new Promise((resolve) => setTimeout(resolve, 400));
    gw.child.kill('SIGTERM');
    const results = Object.fromEntries(await Promise.all(calls));
    expect(results).toEqual(Object.fromEntries(ALL_CLIENT_KINDS.map((kind) => [kind, expect.objectContaining({ content: [{ type: 'text', text: `slept ${sleep(kind)} ms` }] })])));
    expect(await exited(gw.child)).toEqual({ code: 0, signal: null });
    expect(gw.stderr()).toContain(`drained: the ${ALL_CLIENT_KINDS.length} requests in flight answered`);
    await Promise.all(clients.map((client) => client.close().catch(() => {})));
  });

  it('a drain timeout shorter than the calls cuts them, says how many, and still exits 0', async () => {
    const gw = await serve(await writeBundle(fixtureBundle('alpha')), '--drain-timeout', '0.3');
    expect(await toolNames(gw.url)).toContain('alpha__slow');
    const calls = Array.from({ length: 5 }, () => slow(gw.url, 'alpha', 10_000).then(() => 'answered', () => 'cut'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const signalled = Date.now();
    gw.child.kill('SIGTERM');
    expect(await exited(gw.child)).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalled).toBeLessThan(5_000);
    expect(await Promise.all(calls)).toEqual(Array(5).fill('cut'));
    expect(gw.stderr()).toContain('drain timeout (0.3 s): cutting 5 requests still in flight');
  });

  it('a second SIGTERM during the drain exits at once', async () => {
    const gw = await serve(await writeBundle(fixtureBundle('alpha')));
    expect(await toolNames(gw.url)).toContain('alpha__slow');
    const call = slow(gw.url, 'alpha', 10_000).catch(() => 'cut');
    await new Promise((resolve) => setTimeout(resolve, 300));
    gw.child.kill('SIGTERM');
    await expect.poll(() => gw.stderr(), { timeout: 2_000 }).toContain('draining: stopped accepting');
    gw.child.kill('SIGTERM');
    expect(await exited(gw.child)).toEqual({ code: 1, signal: null });
    expect(gw.stderr()).toContain('SIGTERM again during the drain: exiting now');
    expect(await call).toBe('cut');
  });

  it('SIGINT drains as SIGTERM does: an open event stream is ended cleanly and does not hold the drain', async () => {
    const gw = await serve(await writeBundle(fixtureBundle('alpha')));
    const stream = await fetch(`${gw.url}/sse`, { headers: { accept: 'text/event-stream' } });
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('event: endpoint');
    const signalled = Date.now();
    gw.child.kill('SIGINT');
    // The stream ends (done), rather than erroring out when the socket is cut.
    let chunk = await reader.read();
    while (!chunk.done) chunk = await reader.read();
    expect(await exited(gw.child)).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalled).toBeLessThan(5_000);
    expect(gw.stderr()).toContain('SIGINT: draining');
    expect(gw.stderr()).toContain('ended 1 event stream');
  });

  it('SIGHUP reloads a changed bundle in the same process; a call in flight ends on the old one', async () => {
    const path = await writeBundle(fixtureBundle('alpha'));
    const gw = await serve(path);
    expect(await toolNames(gw.url)).toContain('alpha__slow');
    const inFlight = slow(gw.url, 'alpha', 1500);
    await new Promise((resolve) => setTimeout(resolve, 300));

    const next = fixtureBundle('beta');
    writeFileSync(path, JSON.stringify(next));
    gw.child.kill('SIGHUP');
    await expect.poll(async () => ((await (await fetch(`${gw.url}/healthz`)).json()) as { digest: string }).digest, { timeout: 10_000 }).toBe(next.digest);
    expect(await toolNames(gw.url)).toContain('beta__slow');
    expect(await toolNames(gw.url)).not.toContain('alpha__slow');
    expect((await slow(gw.url, 'beta', 10)).result?.content).toEqual([{ type: 'text', text: 'slept 10 ms' }]);
    expect((await inFlight).result?.content).toEqual([{ type: 'text', text: 'slept 1500 ms' }]);
    expect(gw.child.exitCode).toBeNull();
    expect(gw.stderr()).toContain(`reloaded: serving ${next.digest} (was ${fixtureBundle('alpha').digest})`);
  });

  it('SIGHUP with a truncated or edited bundle keeps the old one serving and logs why', async () => {
    const first = fixtureBundle('alpha');
    const path = await writeBundle(first);
    const gw = await serve(path);
    const text = JSON.stringify(fixtureBundle('beta'));
    writeFileSync(path, text.slice(0, text.length / 2));
    gw.child.kill('SIGHUP');
    await expect.poll(() => gw.stderr(), { timeout: 5_000 }).toContain(`error: reload refused, still serving ${first.digest}: ${path}: not a bundle: the file is not valid JSON`);

    writeFileSync(path, JSON.stringify({ ...fixtureBundle('beta'), gateway: { ...first.gateway, name: 'edited' } }));
    gw.child.kill('SIGHUP');
    await expect.poll(() => gw.stderr(), { timeout: 5_000 }).toMatch(/reload refused, still serving sha256:[0-9a-f]{64}: .*digest mismatch/);

    expect(((await (await fetch(`${gw.url}/healthz`)).json()) as { digest: string }).digest).toBe(first.digest);
    expect(await toolNames(gw.url)).toContain('alpha__slow');
    expect(gw.child.exitCode).toBeNull();
  });

  it('--watch: 20 bundles renamed into place are each swapped in, once their stdio child runs, while clients call in a loop, and no call is lost; a half-written file is refused, shown in /healthz, and the next write loads', { timeout: 90_000 }, async () => {
    type Health = { digest: string; loaded_at: string; last_reload_error: { at: string; reason: string } | null };
    const dir = mkdtempSync(join(tmpdir(), 'mcpgw-watch-'));
    // Two bundles of the same tools that differ only in their stdio child's environment, so each swap changes the digest.
    const versions = [fixtureBundle('alpha', join(dir, 'a.log')), fixtureBundle('alpha', join(dir, 'b.log'))];
    const path = join(dir, 'bundle.json');
    const place = (bundle: Bundle | string) => {
      writeFileSync(`${path}.next`, typeof bundle === 'string' ? bundle : JSON.stringify(bundle));
      renameSync(`${path}.next`, path);
    };
    place(versions[0]!);
    const gw = await serve(path, '--watch');
    await expect.poll(() => gw.stderr()).toContain(`watching ${path}: a change reloads it`);
    const health = async () => (await (await fetch(`${gw.url}/healthz`)).json()) as Health;

    let calling = true;
    const outcomes = { ok: 0, failed: [] as string[] };
    const caller = async () => {
      while (calling) {
        const answer = await slow(gw.url, 'alpha', 5);
        if (answer.result?.content?.[0]?.text === 'slept 5 ms') outcomes.ok++;
        else outcomes.failed.push(JSON.stringify(answer));
      }
    };
    const callers = Array.from({ length: 4 }, caller);
    const spawned = (log: string) => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').length - 1 : 0);
    for (let swap = 1; swap <= 20; swap++) {
      const next = versions[swap % 2]!;
      const log = join(dir, swap % 2 === 0 ? 'a.log' : 'b.log');
      const children = spawned(log);
      place(next);
      await expect.poll(async () => (await health()).digest, { timeout: 10_000, interval: 50 }).toBe(next.digest);
      // The new bundle's stdio child was running before the bundle took requests: no call waits for it to start.
      // (Two processes: the SDK probes the era on a throwaway sibling first, as test/upstream/stdio.test.ts shows.)
      expect(spawned(log)).toBe(children + 2);
      // Calls reach each new bundle (its stdio child starts first) before the next swap.
      const answered = outcomes.ok;
      await expect.poll(() => outcomes.ok, { timeout: 10_000, interval: 20 }).toBeGreaterThan(answered + 4);
    }
    calling = false;
    await Promise.all(callers);
    expect(outcomes.failed).toEqual([]);
    expect(outcomes.ok).toBeGreaterThan(100);
    expect(gw.stderr().split('reloaded: serving').length - 1).toBe(20);

    const served = await health();
    const text = JSON.stringify(versions[1]);
    writeFileSync(path, text.slice(0, text.length / 2));
    await expect.poll(async () => (await health()).last_reload_error?.reason, { timeout: 10_000, interval: 50 }).toMatch(/not valid JSON/);
    expect(await health()).toMatchObject({ digest: served.digest, loaded_at: served.loaded_at });
    expect((await slow(gw.url, 'alpha', 5)).result?.content).toEqual([{ type: 'text', text: 'slept 5 ms' }]);
    place(versions[1]!);
    await expect.poll(async () => (await health()).last_reload_error, { timeout: 10_000, interval: 50 }).toBeNull();
    expect((await health()).digest).toBe(versions[1]!.digest);
    expect(gw.child.exitCode).toBeNull();
  });

  it('a truncated or edited bundle is refused at start with the reason, exit 1', async () => {
    const text = JSON.stringify(fixtureBundle('alpha'));
    const truncated = await runCli(['serve', await writeBundle(text.slice(0, 200)), '--port', '0']);
    expect(truncated.code).toBe(1);
    expect(truncated.stderr).toMatch(/bundle\.json: not a bundle: the file is not valid JSON/);
    const edited = await runCli(['serve', await writeBundle(text.replace('"mcpgw-test"', '"edited"')), '--port', '0']);
    expect(edited.code).toBe(1);
    expect(edited.stderr).toMatch(/digest mismatch: the bundle says sha256:[0-9a-f]{64} but its content hashes to sha256:[0-9a-f]{64}/);
    expect(truncated.stdout + edited.stdout).not.toContain('listening');
  });
});
