/**
 * Which era a request belongs to, decided once at the edge by the SDK's own rule (body first: a modern
 * `_meta` envelope means 2026-07-28, `initialize` or no envelope means the 2025 session era). The SDK
 * function is pure, so it runs on what uWS already read; it also rejects bodies that are no JSON-RPC
 * message at all and headers that contradict the body.
 */
import { classifyInboundRequest, type InboundClassificationOutcome } from '@modelcontextprotocol/server';
import type { Exchange } from './exchange.js';

export type Classification = InboundClassificationOutcome;
export type LegacyRoute = Extract<Classification, { kind: 'legacy' }>;
export type ModernRoute = Extract<Classification, { kind: 'modern' }>;
export type Rejection = Extract<Classification, { kind: 'reject' }>;

export function classify(exchange: Exchange): Classification {
  return classifyInboundRequest({
    httpMethod: exchange.httpMethod,
    protocolVersionHeader: exchange.protocolVersion,
    mcpMethodHeader: exchange.mcpMethod,
    mcpNameHeader: exchange.mcpName,
    body: exchange.body,
  });
}
