/**
 * SEP-2243 `Mcp-Param-*` headers. A tool's inputSchema may mark a property `"x-mcp-header": "Region"`;
 * a 2026-07-28 call then carries `Mcp-Param-Region: <value>` mirroring the argument, so intermediaries
 * can route without parsing bodies. The gateway checks what a modern client sent against the body,
 * and builds the headers itself for every upstream call: a 2025 client sends none, and a modern
 * upstream rejects a call whose headers are missing.
 */
import { CODE, decodeHeaderValue, encodeHeaderValue, HEADER, RpcError } from '../base/wire.js';

const X_MCP_HEADER = 'x-mcp-header';
const PRIMITIVE_TYPES: ReadonlySet<string> = new Set(['string', 'integer', 'number', 'boolean']);
const CANONICAL_DECIMAL = /^-?\d+(\.\d+)?$/;
const NONE: readonly ParamHeader[] = Object.freeze([]);

export interface ParamHeader {
  /** Lower-case header name, `mcp-param-<name>`. */
  readonly header: string;
  /** Property names from the arguments object down to the value. */
  readonly path: readonly string[];
  readonly type: string;
}

const NO_PARAM_HEADERS: readonly ParamHeader[] = Object.freeze([]);

/**
 * The declarations reachable through a chain of `properties` (the only place the spec allows them).
 * Run once per tool when its server's catalog is built; `json` is the tool's JSON, whose text tells
 * the usual tool (no declaration at all) without walking its schema.
 */
export function scanParamHeaders(inputSchema: unknown, json: string): readonly ParamHeader[] {
  if (!json.includes(`"${X_MCP_HEADER}"`)) return NO_PARAM_HEADERS;
  const found: ParamHeader[] = [];
  const visit = (node: unknown, path: string[]) => {
    if (node === null || typeof node !== 'object') return;
    const schema = node as Record<string, unknown>;
    const name = schema[X_MCP_HEADER];
    if (path.length > 0 && typeof name === 'string' && name !== '' && typeof schema.type === 'string' && PRIMITIVE_TYPES.has(schema.type)) {
      found.push(Object.freeze({ header: HEADER.paramPrefix + name.toLowerCase(), path: Object.freeze(path), type: schema.type }));
    }
    const properties = schema.properties;
    if (properties !== null && typeof properties === 'object') {
      for (const [key, child] of Object.entries(properties)) visit(child, [...path, key]);
    }
  };
  visit(inputSchema, []);
  return found.length === 0 ? NONE : Object.freeze(found);
}

/** The headers a call with `args` must carry, values encoded as the spec says. */
export function paramHeadersFor(declarations: readonly ParamHeader[], args: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const declaration of declarations) {
    const value = primitiveString(valueAt(args, declaration.path));
    if (value !== undefined) out[declaration.header] = encodeHeaderValue(value);
  }
  return out;
}

/**
 * Rejects (400/-32020) a modern call whose `Mcp-Param-*` headers disagree with its arguments: a value in
 * the body needs its header, decoding to the same value (numbers compared as numbers).
 */
export function checkParamHeaders(declarations: readonly ParamHeader[], args: Record<string, unknown> | undefined, headers: Readonly<Record<string, string>>): void {
  for (const declaration of declarations) {
    const raw = valueAt(args, declaration.path);
    const bodyValue = primitiveString(raw);
    if (bodyValue === undefined) continue;
    const header = headers[declaration.header];
    const where = declaration.path.join('.');
    // An empty header cannot be told from an absent one (uWS reads both as ''), so '' in the body needs none.
    if (header === undefined && bodyValue === '') continue;
    if (header === undefined) throw mismatch(declaration.header, `the body carries ${where}=${JSON.stringify(raw)} but the ${declaration.header} header is absent`);
    const decoded = decodeHeaderValue(header.trim());
    if (decoded === undefined) throw mismatch(declaration.header, `the ${declaration.header} header carries an invalid Base64 sentinel value`);
    const numeric = (declaration.type === 'integer' || declaration.type === 'number') && typeof raw === 'number' && CANONICAL_DECIMAL.test(decoded);
    if (numeric ? Number(decoded) !== raw : decoded !== bodyValue) {
      throw mismatch(declaration.header, `the ${declaration.header} header decodes to ${JSON.stringify(decoded)} but the body carries ${where}=${JSON.stringify(raw)}`);
    }
  }
}

function mismatch(header: string, body: string): RpcError {
  return new RpcError(CODE.headerMismatch, `Bad Request: the request headers and body disagree: ${body}`, { mismatch: { header, body } }, 400);
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function primitiveString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number' && Number.isFinite(value) && (!Number.isInteger(value) || Number.isSafeInteger(value))) return String(value);
  return undefined;
}

