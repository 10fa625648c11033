/**
 * `mcpgw connect URL [--header 'Name: value']… [--key-env VAR]`: a stdio ↔ gateway bridge for clients that
 * start local servers only (Claude Desktop, older tools). Every JSON-RPC message is relayed as it is, both
 * ways, so both eras pass: a 2025 client's initialize and session (the SDK transport keeps the session id
 * and opens the GET stream for server-initiated messages), a 2026-07-28 client's stateless requests (their
 * headers derived from each request's `_meta`, input-required rounds in the answer stream).
 *
 * The bridge outlives the gateway: a request the gateway cannot take (restarting, unreachable) is retried
 * until RETRY_MS, and a 2025 session the gateway no longer knows is opened again by replaying the
 * client's own initialize, so the client never sees the restart. stdout carries JSON-RPC only; what goes
 * wrong is said on stderr, and a request that cannot be relayed is answered with an error.
 */
import { type JSONRPCMessage, SdkHttpError, StreamableHTTPClientTransport, UnauthorizedError } from '@modelcontextprotocol/client';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { EXIT } from '../exit.js';
import { gatewayUrl, requestHeaders, type ShellOptions } from './shell.js';

/** How long a message waits for an unreachable gateway before its request is answered with an error. */
const RETRY_MS = 30_000;
const BACKOFF_MS = [100, 250, 500, 1000, 2000];
/** -32001 is what the gateway itself answers a missing key with; the bridge says the same. */
const UNAUTHORIZED = -32001;
const UNREACHABLE = -32603;

type Message = JSONRPCMessage & { id?: string | number; method?: string; params?: Record<string, unknown>; result?: Record<string, unknown> };

const say = (line: string) => void process.stderr.write(`mcpgw connect: ${line}\n`);

export async function connect(url: string, options: ShellOptions): Promise<number> {
  const target = gatewayUrl(url);
  const headers = requestHeaders(options);
  const local = new StdioServerTransport();
  let upstream = open();
  /** The client's initialize and initialized, kept to open its session again on a gateway that lost it. */
  let initialize: Message | undefined;
  let initialized: Message | undefined;
  let replaying: Promise<void> | undefined;
  const replayIds = new Set<string>();
  let replays = 0;

  function open(): StreamableHTTPClientTransport {
    const transport = new StreamableHTTPClientTransport(target, {
      requestInit: { headers },
      // The GET stream of server-initiated messages rides out a gateway restart like the requests do.
      reconnectionOptions: { initialReconnectionDelay: 250, maxReconnectionDelay: 2000, reconnectionDelayGrowFactor: 1.5, maxRetries: RETRY_MS / 250 },
    });
    transport.onmessage = (message) => {
      const m = message as Message;
      if (m.id !== undefined && replayIds.delete(String(m.id))) return;
      if (initialize && m.id === initialize.id && typeof m.result?.protocolVersion === 'string') transport.setProtocolVersion(m.result.protocolVersion);
      void local.send(message);
    };
    transport.onerror = (error) => say(`event stream: ${error.message}`);
    return transport;
  }

  async function relay(message: Message): Promise<void> {
    if (message.method === 'initialize') initialize = message;
    if (message.method === 'notifications/initialized') initialized = message;
    const deadline = Date.now() + RETRY_MS;
    for (let attempt = 0; ; attempt++) {
      await replaying;
      try {
        await upstream.send(message);
        return;
      } catch (error) {
        if (isRefused(error)) {
          say(
            `the gateway at ${target.href} refused the key (HTTP ${(error as { status?: number }).status ?? 401}): ` +
              (options.keyEnv === undefined && !headers.authorization
                ? 'none was sent; pass --key-env VAR (the variable holding your API key) or --header "Authorization: Bearer …"'
                : `the key${options.keyEnv === undefined ? '' : ` in ${String(options.keyEnv)}`} is not one this gateway accepts`),
          );
          return answer(message, UNAUTHORIZED, `Unauthorized: the gateway at ${target.href} refused the key (see mcpgw connect's stderr)`);
        }
        if (isLostSession(error) && initialize && message !== initialize) {
          await reopen();
          continue;
        }
        if (!isUnreachable(error) || Date.now() >= deadline) {
          say(`${message.method ?? 'a response'}: ${(error as Error).message}`);
          return answer(message, UNREACHABLE, `the gateway at ${target.href} could not take the request: ${(error as Error).message}`);
        }
        if (attempt === 0) say(`the gateway at ${target.href} is unreachable (${reason(error)}); retrying for ${RETRY_MS / 1000} s`);
        await new Promise((resolve) => setTimeout(resolve, BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)]));
      }
    }
  }

  /** A new session for the client's old one: its own initialize again (the answer kept from it), then initialized. */
  function reopen(): Promise<void> {
    replaying ??= (async () => {
      say('the gateway no longer knows this session (restarted without a shared session secret?); opening a new one');
      const old = upstream;
      old.onmessage = undefined;
      void old.close().catch(() => {});
      upstream = open();
      await upstream.start();
      const id = `mcpgw-connect-reinitialize-${++replays}`;
      replayIds.add(id);
      await upstream.send({ ...initialize!, id } as JSONRPCMessage);
      if (initialized) await upstream.send(initialized);
    })().finally(() => (replaying = undefined));
    return replaying;
  }

  function answer(message: Message, code: number, text: string): void {
    if (message.method !== undefined && message.id !== undefined) void local.send({ jsonrpc: '2.0', id: message.id, error: { code, message: text } });
  }

  await upstream.start();
  const done = new Promise<void>((resolve) => (local.onclose = resolve));
  local.onmessage = (message) => void relay(message as Message);
  local.onerror = (error) => say(`stdin: ${error.message}`);
  await local.start();
  await done;
  // The client went away: end its 2025 session on the gateway rather than leave it to expire.
  if (upstream.sessionId) await Promise.race([upstream.terminateSession().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 2000))]);
  await upstream.close().catch(() => {});
  return EXIT.ok;
}

const status = (error: unknown) => (error instanceof SdkHttpError ? (error as { status?: number }).status : undefined);
const isRefused = (error: unknown) => error instanceof UnauthorizedError || status(error) === 401 || status(error) === 403;
const isLostSession = (error: unknown) => status(error) === 404;
/** No HTTP answer at all (refused, reset, DNS), or the gateway's own "not now" while it starts or drains. */
const isUnreachable = (error: unknown) => (error instanceof TypeError && /fetch failed/.test(error.message)) || status(error) === 502 || status(error) === 503;

function reason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
