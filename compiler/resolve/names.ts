import type { Tool } from '../../schema/bundle.types.js';
import { DEFAULT_SEPARATOR, exposedName, hasEdgePunctuation, isValidName, joinName, MAX_NAME_LENGTH, NAME_CHARSET, PORTABLE_NAME_LENGTH } from '../../lib/names.js';
import { diagnostic, type Span } from '../diagnostics/diagnostic.js';
import { pointer } from '../load/source-map.js';
import { recordValue, type ResolveContext } from './context.js';

export interface ResolvedNames {
  separator: string;
  maxNameLength: number;
  namespaces: Map<string, string>;
  /** Declared tools by exposed name on /mcp. */
  tools: Record<string, Tool>;
}

/**
 * Namespaces and the exposed names of every tool the definition declares (allow lists, aliases,
 * costs, access entries). Names discovered at run time follow the same rule (lib/names), so what
 * the build checks is what the runtime serves.
 */
export function resolveNames(ctx: ResolveContext): ResolvedNames {
  const { definition, sourceMap, diagnostics } = ctx;
  const separator = definition.gateway?.tool_separator ?? DEFAULT_SEPARATOR;
  const maxNameLength = definition.gateway?.max_name_length ?? MAX_NAME_LENGTH;
  const namespaces = new Map<string, string>();
  const namespaceOwner = new Map<string, string>();

  for (const [server, config] of Object.entries(definition.servers)) {
    const namespace = config.namespace ?? server;
    namespaces.set(server, namespace);
    const at = config.namespace !== undefined ? pointer('servers', server, 'namespace') : pointer('servers', server);
    const first = namespaceOwner.get(namespace);
    if (first !== undefined) {
      const firstAt = definition.servers[first]?.namespace !== undefined ? pointer('servers', first, 'namespace') : pointer('servers', first);
      diagnostics.push(
        diagnostic('MG506', sourceMap.key(at), namespace, [{ span: sourceMap.key(firstAt), message: `namespace '${namespace}' is first used by server '${first}' here` }]),
      );
    } else namespaceOwner.set(namespace, server);
  }

  const tools: Record<string, Tool> = {};
  const spans = new Map<string, Span>();
  // A tool is often named several times (allow list, alias, cost, access): judge it once.
  const judged = new Set<string>();
  for (const [server, tool, at] of declaredTools(ctx)) {
    const id = `${server}/${tool}`;
    if (judged.has(id)) continue;
    judged.add(id);
    const namespace = namespaces.get(server)!;
    const aliased = definition.servers[server]?.aliases?.[tool];
    const base = aliased ?? tool;
    // The name itself: a list item, or the key of an `aliases` or `cost.tools` entry.
    const span = sourceMap.key(pointer(...at));
    if (!isValidName(base)) {
      // A name of valid characters fails only by its length; its sanitized form would not say why.
      diagnostics.push(
        NAME_CHARSET.test(base)
          ? diagnostic('MG509', span, base, base.length, MAX_NAME_LENGTH, `${tool}: ${suggestAlias(tool)}`)
          : diagnostic('MG507', span, base, exposedName(namespace, separator, base, maxNameLength)),
      );
      continue;
    }
    const name = joinName(namespace, separator, base);
    if (!checkLength(ctx, name, tool, span, maxNameLength)) continue;
    if (hasEdgePunctuation(name)) diagnostics.push(diagnostic('MG504', span, name));
    const owner = tools[name];
    if (owner && (owner.server !== server || owner.tool !== tool)) {
      diagnostics.push(
        diagnostic('MG505', span, name, [{ span: spans.get(name)!, message: `'${owner.server}' tool '${owner.tool}' is exposed as '${name}' here` }]),
      );
      continue;
    }
    if (!owner) {
      tools[name] = { server, tool };
      recordValue(ctx, pointer('tools', name), at);
      spans.set(name, span);
    }
  }
  return { separator, maxNameLength, namespaces, tools };
}

function checkLength(ctx: ResolveContext, name: string, tool: string, span: Span, limit: number): boolean {
  const alias = `${tool}: ${suggestAlias(tool)}`;
  if (name.length > limit) {
    ctx.diagnostics.push(diagnostic('MG502', span, name, name.length, limit, alias));
    return false;
  }
  if (name.length > PORTABLE_NAME_LENGTH) ctx.diagnostics.push(diagnostic('MG503', span, name, name.length, alias));
  return true;
}

/** A short alias for a long tool name: the initials of its words, e.g. search_all_repository_issues → sari. */
function suggestAlias(tool: string): string {
  const words = tool.split(/[_.-]+|(?=[A-Z])/).filter(Boolean);
  return words.length > 1 ? words.map((w) => w[0]!.toLowerCase()).join('') : tool.slice(0, 16);
}

/** Every (server, upstream tool) the definition names, in document order, with the pointer that names it. */
function* declaredTools(ctx: ResolveContext): Generator<[string, string, (string | number)[]]> {
  const { definition } = ctx;
  for (const [server, config] of Object.entries(definition.servers)) {
    const denied = new Set(config.tools?.deny ?? []);
    const allow = config.tools?.allow ?? [];
    for (const [i, tool] of allow.entries()) if (!denied.has(tool)) yield [server, tool, ['servers', server, 'tools', 'allow', i]];
    for (const tool of Object.keys(config.aliases ?? {})) if (!denied.has(tool)) yield [server, tool, ['servers', server, 'aliases', tool]];
    for (const tool of Object.keys(config.cost?.tools ?? {})) if (!denied.has(tool)) yield [server, tool, ['servers', server, 'cost', 'tools', tool]];
  }
  for (const section of ['orgs', 'teams', 'keys', 'toolsets', 'access_groups'] as const) {
    for (const [name, body] of Object.entries(definition[section] ?? {})) {
      const lists: [string[] | undefined, (string | number)[]][] = Array.isArray(body)
        ? [[body, [section, name]]]
        : [[(body as { access?: string[] }).access, [section, name, 'access']]];
      for (const [list, at] of lists) {
        for (const [i, entry] of (list ?? []).entries()) {
          const slash = entry.indexOf('/');
          const server = entry.slice(0, slash);
          const tool = entry.slice(slash + 1);
          if (slash > 0 && tool !== '*' && definition.servers[server] && !definition.servers[server]!.tools?.deny?.includes(tool)) {
            yield [server, tool, [...at, i]];
          }
        }
      }
    }
  }
}
