/**
 * `${env:NAME}` references. The bundle keeps secrets as references (it holds none itself); the runtime
 * resolves them once, when the upstream pool is created, so a missing variable stops start-up with a
 * message naming the server and field instead of failing the first request.
 */

const ENV_REF = /\$\{env:([^}]*)\}/g;

/**
 * Replaces every `${env:NAME}` in `value` from `env`. `where` names the field for the error message,
 * e.g. `server 'github': headers.Authorization`. An empty value counts as set.
 */
export function resolveEnvRefs(value: string, env: NodeJS.ProcessEnv, where: string): string {
  return value.replace(ENV_REF, (reference, name: string) => {
    const resolved = env[name];
    if (resolved === undefined) throw new Error(`${where} references ${reference}, which is not set`);
    return resolved;
  });
}

/** `resolveEnvRefs` over every value of a string map; `where` is the map's field name. */
export function resolveEnvMap(
  values: Record<string, string> | undefined,
  env: NodeJS.ProcessEnv,
  where: string,
): Record<string, string> | undefined {
  if (values === undefined) return undefined;
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => [key, resolveEnvRefs(value, env, `${where}.${key}`)]),
  );
}
