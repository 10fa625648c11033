import type { Grant, Grants } from '../../schema/bundle.types.js';

/** One expanded access target: a whole server, or one of its tools (by upstream name). */
export interface Target {
  server: string;
  tool?: string;
}

export function targetKey(t: Target): string {
  return t.tool === undefined ? t.server : `${t.server}/${t.tool}`;
}

/** The inverse of targetKey. Server names never contain '/', so the first one splits. */
export function parseTarget(key: string): Target {
  const slash = key.indexOf('/');
  return slash < 0 ? { server: key } : { server: key.slice(0, slash), tool: key.slice(slash + 1) };
}

/** The grants a list of targets allows on its own (a union). */
export function grantsOf(targets: readonly Target[]): Grants {
  const out: Record<string, Grant> = {};
  for (const t of targets) {
    const current = out[t.server];
    if (t.tool === undefined) out[t.server] = { all: true, except: [] };
    else if (!current) out[t.server] = { all: false, tools: [t.tool] };
    else if (!current.all && !current.tools.includes(t.tool)) current.tools.push(t.tool);
  }
  return normalize(out);
}

/** Every server, every tool. */
export function universe(servers: Iterable<string>): Grants {
  return grantsOf([...servers].map((server) => ({ server })));
}

export function intersect(a: Grants, b: Grants): Grants {
  const out: Record<string, Grant> = {};
  for (const [server, ga] of Object.entries(a)) {
    const gb = b[server];
    if (!gb) continue;
    const g = intersectGrant(ga, gb);
    if (g) out[server] = g;
  }
  return normalize(out);
}

function intersectGrant(a: Grant, b: Grant): Grant | undefined {
  if (a.all && b.all) return { all: true, except: [...new Set([...a.except, ...b.except])] };
  if (a.all && !b.all) return closed(b.tools.filter((t) => !a.except.includes(t)));
  if (!a.all && b.all) return closed(a.tools.filter((t) => !b.except.includes(t)));
  if (!a.all && !b.all) return closed(a.tools.filter((t) => b.tools.includes(t)));
  return undefined;
}

/** Removes denied targets: a whole server disappears; a tool is excepted or dropped from the list. */
export function subtract(grants: Grants, denied: readonly Target[]): Grants {
  const out: Record<string, Grant> = structuredClone(grants);
  for (const t of denied) {
    const g = out[t.server];
    if (!g) continue;
    if (t.tool === undefined) delete out[t.server];
    else if (g.all) g.except.push(t.tool);
    else {
      const rest = closed(g.tools.filter((x) => x !== t.tool));
      if (rest) out[t.server] = rest;
      else delete out[t.server];
    }
  }
  return normalize(out);
}

function closed(tools: string[]): Grant | undefined {
  return tools.length ? { all: false, tools } : undefined;
}

/** Sorted and de-duplicated, so equal grants serialize to equal bytes. */
function normalize(grants: Record<string, Grant>): Grants {
  const out: Record<string, Grant> = {};
  for (const server of Object.keys(grants).sort()) {
    const g = grants[server]!;
    out[server] = g.all ? { all: true, except: [...new Set(g.except)].sort() } : { all: false, tools: [...new Set(g.tools)].sort() };
  }
  return out;
}
