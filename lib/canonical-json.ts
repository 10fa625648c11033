/**
 * Canonical JSON: object keys sorted by code unit, no insignificant whitespace. Two equal values
 * always give the same bytes, so a digest over it names the content.
 */
export function canonicalJson(value: unknown): string {
  // A bundle read back from disk is already in canonical order (the compiler wrote it so): checking
  // that costs no allocation, where re-sorting copies every object of a 10,000-tool bundle at start-up.
  return JSON.stringify(inCanonicalOrder(value) ? value : sortKeys(value));
}

/** The same ordering, indented for people reading a bundle in a pull request. */
export function prettyCanonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2) + '\n';
}

/** Whether JSON.stringify already writes `value` as `sortKeys` would order it. */
function inCanonicalOrder(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(inCanonicalOrder);
  if (value === null || typeof value !== 'object') return true;
  let previous: string | undefined;
  for (const key in value) {
    const child = (value as Record<string, unknown>)[key];
    if (child === undefined || (previous !== undefined && previous >= key) || !inCanonicalOrder(child)) return false;
    previous = key;
  }
  return true;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}
