/**
 * The shape of a case: a gateway definition as a user writes it, the requests a client sends to a
 * fresh gateway built from it, and the answer each must get. The runner (definition-cases.test.ts)
 * serves every case twice, compiled in memory and built to bundle.json, against the same fixtures.
 */
import { createHash } from 'node:crypto';

export interface Case {
  name: string;
  /** gateway.yaml. Upstream addresses are `${env:…}` references (UPSTREAM_URLS), so the text is fixed. */
  definition: string;
  /** Sent in order to one gateway, so a later request sees what the earlier ones spent. */
  exchanges: Exchange[];
}

export interface Exchange {
  /** A key by its name in the definition (see keyHash); without one, no credential is sent. */
  key?: string;
  headers?: Record<string, string>;
  /** Path and query on the gateway; `/mcp` by default. */
  path?: string;
  /** `legacy` opens a 2025-11-25 session first (its initialize answer stands in when refused); `modern` by default. */
  era?: 'modern' | 'legacy';
  method: string;
  params?: Record<string, unknown>;
  answer: Answer;
}

/** Everything named is compared exactly; what an answer does not name is not looked at. */
export interface Answer {
  /** 200 by default. */
  status?: number;
  /** These response headers only. */
  headers?: Record<string, string>;
  /** The JSON-RPC result, whole. */
  result?: unknown;
  error?: { code: number; message: unknown; data?: unknown };
  /** A list's entries in order: tool and prompt names, resource URIs. */
  listed?: string[];
}

/** What a definition writes for each fixture's address, resolved from the gateway's environment when it starts. */
export const UPSTREAM_URLS = { modern: '"${env:MODERN_URL}"', legacy: '"${env:LEGACY_URL}"' } as const;
/** server-everything over stdio, run by this Node. */
export const EVERYTHING = { command: '"${env:NODE}"', args: '["${env:SERVER_EVERYTHING}", stdio]' } as const;

/** The raw key a client sends for the key `name`. */
export function rawKey(name: string): string {
  return `mcpgw_sk_case_${name}`;
}

/** What a definition declares for the key `name`. */
export function keyHash(name: string): string {
  return createHash('sha256').update(rawKey(name)).digest('hex');
}

/** A call and what it answers when the tool is not there for the caller: unknown, filtered and denied alike. */
export function notFound(name: string, args: Record<string, unknown> = {}): Pick<Exchange, 'method' | 'params' | 'answer'> {
  return { method: 'tools/call', params: { name, arguments: args }, answer: { error: { code: -32602, message: `Tool ${name} not found` } } };
}

/** A tools/list that must answer exactly `names`. */
export function lists(names: string[]): Pick<Exchange, 'method' | 'answer'> {
  return { method: 'tools/list', answer: { listed: names } };
}

/** A tools/call of a fixture's `echo` (under `name`) and its untouched answer. */
export function echoes(name: string, text = 'hi'): Pick<Exchange, 'method' | 'params' | 'answer'> {
  return { method: 'tools/call', params: { name, arguments: { text } }, answer: { result: { content: [{ type: 'text', text }], resultType: 'complete' } } };
}
