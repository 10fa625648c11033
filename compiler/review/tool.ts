import type { Bundle } from '../../schema/bundle.types.js';
import { exposedName } from '../../lib/names.js';
import { didYouMean, ReviewError } from './error.js';

/** One upstream tool, with the name it has on `/mcp`. */
export interface ToolRef {
  server: string;
  /** Upstream (original) name. */
  tool: string;
  exposed: string;
  /** True when the definition names the tool (allow list, alias, cost, access), so the build fixed its name. */
  declared: boolean;
}

/**
 * The name a tool has on `/mcp`: the one the compiler fixed for a declared tool, otherwise the rule the
 * runtime applies to tools it discovers (lib/names), alias first.
 */
export function toolRef(bundle: Bundle, server: string, tool: string): ToolRef {
  const declared = Object.entries(bundle.tools).find(([, t]) => t.server === server && t.tool === tool);
  if (declared) return { server, tool, exposed: declared[0], declared: true };
  const s = bundle.servers[server]!;
  return { server, tool, exposed: exposedName(s.namespace, bundle.gateway.tool_separator, s.aliases[tool] ?? tool, bundle.gateway.max_name_length), declared: false };
}

/**
 * A tool as a user names it: its exposed name on `/mcp` (`github__search`) or `server/tool` with the
 * upstream name. A name the definition does not declare is split at the longest namespace prefix, as
 * the runtime would have joined it; renamed discovered tools (hash suffix) cannot be reversed.
 */
export function findTool(bundle: Bundle, name: string): ToolRef {
  const declared = bundle.tools[name];
  if (declared) return { ...declared, exposed: name, declared: true };
  const slash = name.indexOf('/');
  if (slash >= 0) {
    const server = name.slice(0, slash);
    const tool = name.slice(slash + 1);
    if (!bundle.servers[server]) throw new ReviewError(`unknown server '${server}' in '${name}'${didYouMean(server, Object.keys(bundle.servers))}`);
    if (tool === '') throw new ReviewError(`'${name}' names no tool; write ${server}/<tool>`);
    return toolRef(bundle, server, tool);
  }
  const separator = bundle.gateway.tool_separator;
  const owner = Object.entries(bundle.servers)
    .filter(([, s]) => name.startsWith(s.namespace + separator) && name.length > s.namespace.length + separator.length)
    .sort(([, a], [, b]) => b.namespace.length - a.namespace.length)[0];
  if (!owner) throw new ReviewError(`unknown tool '${name}': no server's namespace prefixes it${didYouMean(name, Object.keys(bundle.tools))}`);
  const [server, s] = owner;
  const rest = name.slice(s.namespace.length + separator.length);
  const aliased = Object.entries(s.aliases).find(([, alias]) => alias === rest);
  if (aliased) return toolRef(bundle, server, aliased[0]);
  if (s.aliases[rest] !== undefined) throw new ReviewError(`unknown tool '${name}': ${server}/${rest} is exposed as '${toolRef(bundle, server, rest).exposed}'`);
  return toolRef(bundle, server, rest);
}
