/**
 * The shell client, for scripts and smoke tests: `mcpgw tools|call|prompts|resources|read URL …`, one
 * request each through the SDK v2 client, which speaks whichever era the gateway offers. Human output
 * by default, `--json` for scripts. The exit code is the contract: 0 success, 1 the tool answered
 * `isError` (or the gateway answered the request with an error), 2 usage, 3 the gateway cannot be
 * reached or refuses the key.
 */
import { Client, SdkHttpError, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { VERSION } from '../../lib/version.js';
import { EXIT, UsageError } from '../exit.js';
import { listOf } from '../key-source.js';

export interface ShellOptions {
  /** `Name: value`, repeatable. */
  header?: unknown;
  /** The environment variable holding the API key, sent as `Authorization: Bearer …`. */
  keyEnv?: unknown;
  json?: boolean;
}

const out = (text: string) => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

/** The request headers the options ask for; a usage error for a malformed header or an unset key variable. */
export function requestHeaders(options: ShellOptions, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of listOf(options.header)) {
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : '';
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new UsageError(`--header '${line}': expected 'Name: value'`);
    headers[name.toLowerCase()] = line.slice(colon + 1).trim();
  }
  if (options.keyEnv !== undefined) {
    const name = String(options.keyEnv);
    const key = env[name];
    if (key === undefined || key === '') throw new UsageError(`--key-env ${name}: the environment variable ${name} is not set`);
    headers.authorization = `Bearer ${key}`;
  }
  return headers;
}

/** The gateway's endpoint from the command line; a usage error if it is not a URL. */
export function gatewayUrl(url: string): URL {
  try {
    return new URL(url);
  } catch {
    throw new UsageError(`'${url}' is not a URL (e.g. http://127.0.0.1:8080/mcp)`);
  }
}

/** A tool's arguments: `--args JSON`, or `key=value` pairs whose values are JSON when they parse as JSON, else strings. */
export function toolArguments(json: unknown, pairs: readonly string[]): Record<string, unknown> {
  if (json !== undefined && pairs.length > 0) throw new UsageError('give the arguments either as --args JSON or as key=value pairs, not both');
  if (json !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(String(json));
    } catch (e) {
      throw new UsageError(`--args is not valid JSON: ${(e as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new UsageError('--args must be a JSON object');
    return parsed as Record<string, unknown>;
  }
  const args: Record<string, unknown> = {};
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals <= 0) throw new UsageError(`'${pair}': expected key=value`);
    args[pair.slice(0, equals)] = jsonOrText(pair.slice(equals + 1));
  }
  return args;
}

function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Runs `work` on a client connected to `url`; turns what goes wrong into the exit code and a line on stderr. */
async function withClient(url: string, options: ShellOptions, work: (client: Client) => Promise<number>): Promise<number> {
  const target = gatewayUrl(url);
  const headers = requestHeaders(options);
  const client = new Client({ name: 'mcpgw', version: VERSION }, { capabilities: {} });
  try {
    await client.connect(new StreamableHTTPClientTransport(target, { requestInit: { headers } }));
  } catch (e) {
    return failed(url, e, true);
  }
  try {
    return await work(client);
  } catch (e) {
    return failed(url, e, false);
  } finally {
    await client.close().catch(() => {});
  }
}

function failed(url: string, error: unknown, connecting: boolean): number {
  const status = error instanceof SdkHttpError ? error.status : undefined;
  if (status === 401 || status === 403) {
    process.stderr.write(`mcpgw: ${url} refused the key (HTTP ${status}): give one with --key-env VAR or --header 'Authorization: Bearer …'\n`);
    return EXIT.unreachable;
  }
  const message = describe(error);
  if (connecting) {
    process.stderr.write(`mcpgw: cannot reach ${url}: ${message}\n`);
    return EXIT.unreachable;
  }
  process.stderr.write(`mcpgw: ${message}\n`);
  return EXIT.invalid;
}

/** The error's message, with the network cause (ECONNREFUSED, ENOTFOUND) that fetch keeps apart. */
function describe(error: unknown): string {
  const err = error as Error & { cause?: { code?: string; message?: string } };
  const cause = err.cause?.code ?? err.cause?.message;
  return cause !== undefined && !err.message.includes(cause) ? `${err.message} (${cause})` : err.message;
}

interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** Prints every page of one list, followed by its cursor: as one JSON object, or a line per item. */
function listAll<T>(url: string, options: ShellOptions, kind: string, page: (client: Client, cursor: string | undefined) => Promise<Page<T>>, line: (item: T) => string): Promise<number> {
  return withClient(url, options, async (client) => {
    const items: T[] = [];
    let cursor: string | undefined;
    do {
      const next = await page(client, cursor);
      items.push(...next.items);
      cursor = next.nextCursor;
    } while (cursor !== undefined);
    if (options.json) out(JSON.stringify({ [kind]: items }, null, 2));
    else for (const item of items) out(line(item));
    return EXIT.ok;
  });
}

const cursorParams = (cursor: string | undefined) => (cursor === undefined ? {} : { cursor });
/** A name and the first line of its description. */
const described = (item: { name: string; description?: string }) => `${item.name}${item.description ? `  ${item.description.split('\n')[0]!.trim()}` : ''}`;

export const tools = (url: string, options: ShellOptions) =>
  listAll(url, options, 'tools', async (client, cursor) => {
    const page = await client.listTools(cursorParams(cursor));
    return { items: page.tools, nextCursor: page.nextCursor };
  }, described);

export const prompts = (url: string, options: ShellOptions) =>
  listAll(url, options, 'prompts', async (client, cursor) => {
    const page = await client.listPrompts(cursorParams(cursor));
    return { items: page.prompts, nextCursor: page.nextCursor };
  }, described);

export const resources = (url: string, options: ShellOptions) =>
  listAll(url, options, 'resources', async (client, cursor) => {
    const page = await client.listResources(cursorParams(cursor));
    return { items: page.resources, nextCursor: page.nextCursor };
  }, (resource) => `${resource.uri}  ${resource.name}${resource.mimeType ? ` (${resource.mimeType})` : ''}`);

export function read(url: string, uri: string, options: ShellOptions): Promise<number> {
  return withClient(url, options, async (client) => {
    const result = await client.readResource({ uri });
    if (options.json) out(JSON.stringify(result, null, 2));
    else
      for (const content of result.contents) {
        if ('text' in content) out(content.text);
        else out(`${content.uri}: ${Buffer.from(content.blob, 'base64').length} bytes${content.mimeType ? ` of ${content.mimeType}` : ''} (--json prints them, base64)`);
      }
    return EXIT.ok;
  });
}

export function call(url: string, tool: string, pairs: readonly string[], options: ShellOptions & { args?: unknown }): Promise<number> {
  const args = toolArguments(options.args, pairs);
  return withClient(url, options, async (client) => {
    const result = await client.callTool({ name: tool, arguments: args });
    if (options.json) out(JSON.stringify(result, null, 2));
    else {
      const content = (result.content ?? []) as { type: string; text?: string }[];
      for (const block of content) out(block.type === 'text' ? block.text! : JSON.stringify(block));
      if (content.length === 0 && result.structuredContent !== undefined) out(JSON.stringify(result.structuredContent, null, 2));
    }
    return result.isError === true ? EXIT.invalid : EXIT.ok;
  });
}
