import { describe, expect, it } from 'vitest';
import { bundleDigest } from '../../lib/bundle-format.js';
import { BundleError } from '../../lib/bundle-verify.js';
import { buildTables, loadBundle } from '../../runtime/tables/load.js';
import { permits } from '../../runtime/tables/policy.js';
import { allOf, makeBundle, sha256Hex, writeBundle } from './helpers/bundle.js';

const servers = { github: { transport: 'streamable-http' as const, url: 'http://127.0.0.1:1/mcp' }, files: { transport: 'stdio' as const, command: 'node', namespace: 'fs' } };

/** Re-stamps the digest after an edit, so only the edit itself is under test. */
function restamp(bundle: Record<string, unknown>): Record<string, unknown> {
  return { ...bundle, digest: bundleDigest(bundle) };
}

describe('runtime/load', () => {
  it('loads a bundle from disk into frozen tables', async () => {
    const bundle = makeBundle({ servers });
    const tables = await loadBundle(await writeBundle(bundle));
    expect(tables.digest).toBe(bundle.digest);
    expect(Object.isFrozen(tables)).toBe(true);
    expect(Object.isFrozen(tables.bundle.servers.github)).toBe(true);
    expect(tables.authRequired).toBe(false);
    expect(tables.allScope.servers).toEqual(['files', 'github']);
    expect(tables.allScope.namespaced).toBe(true);
    expect(tables.serverScopes.get('files')).toMatchObject({ key: 'files', servers: ['files'], namespaced: false });
    expect(tables.servers.get('files')?.namespace).toBe('fs');
  });

  it('types every table read-only, so a write is a compile error (npm test typechecks this file), and the bundle refuses one at run time too', () => {
    const tables = buildTables(makeBundle({ servers, keys: { a: { key: 'k'.repeat(32), grants: allOf('github') } } }));
    const route = tables.servers.get('github')!;
    const compileErrors = [
      // @ts-expect-error the bundle is DeepReadonly
      () => (tables.bundle.servers.github!.timeout_ms = 1),
      // @ts-expect-error its arrays too
      () => tables.bundle.servers.github!.forward_headers.push('x-extra'),
      // @ts-expect-error maps are ReadonlyMap
      () => tables.keys.set('x', tables.anonymous),
      // @ts-expect-error and sets ReadonlySet
      () => tables.allowedOrigins.add('https://evil.example'),
      // @ts-expect-error a route's own maps
      () => route.aliases.set('search', 'find'),
      // @ts-expect-error a principal's grants
      () => tables.anonymous.permissions.servers.delete('github'),
    ];
    expect(compileErrors).toHaveLength(6);
    expect(compileErrors[0]).toThrow(TypeError);
    expect(compileErrors[1]).toThrow(TypeError);
  });

  it('refuses a missing file, non-JSON, an unknown format, a digest mismatch and an off-schema bundle', async () => {
    await expect(loadBundle('/nonexistent/bundle.json')).rejects.toThrow(/no such file/);
    await expect(loadBundle(await writeBundle('{"format": '))).rejects.toThrow(/not valid JSON/);
    const bundle = makeBundle({ servers }) as unknown as Record<string, unknown>;
    await expect(loadBundle(await writeBundle({ ...bundle, format: 'mcpgw.bundle/9' }))).rejects.toThrow(/unknown bundle format: "mcpgw.bundle\/9"; this mcpgw reads "mcpgw.bundle\/1"/);
    await expect(loadBundle(await writeBundle({ ...bundle, gateway: { ...(bundle.gateway as object), name: 'edited' } }))).rejects.toThrow(
      /digest mismatch: the bundle says sha256:[0-9a-f]{64} but its content hashes to sha256:[0-9a-f]{64}/,
    );
    await expect(loadBundle(await writeBundle(restamp({ ...bundle, surprise: 1 })))).rejects.toThrow(/does not match schema\/bundle.schema.json/);
    await expect(loadBundle(await writeBundle([1, 2]))).rejects.toThrow(/expected a JSON object/);
  });

  it('throws BundleError naming the file', async () => {
    const path = await writeBundle('not json');
    const error = await loadBundle(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BundleError);
    expect((error as BundleError).message.startsWith(path + ': ')).toBe(true);
  });

  it('refuses grants for a server the bundle does not define', () => {
    const bundle = makeBundle({ servers, keys: { ci: { key: 'k', grants: allOf('github') } } }) as unknown as Record<string, unknown>;
    const policy = bundle.policy as { keys: Record<string, { effective: unknown }> };
    policy.keys.ci!.effective = allOf('nope');
    expect(() => buildTables(restamp(bundle))).toThrow(/key "ci" grants unknown server "nope"/);
  });

  it('maps key hashes to principals and shares permissions between equal grants', () => {
    const tables = buildTables(
      makeBundle({
        servers,
        keys: {
          a: { key: 'key-a', grants: { github: { all: false, tools: ['search'] } } },
          b: { key: 'key-b', grants: { github: { all: false, tools: ['search'] } } },
          c: { key: 'key-c', grants: { github: { all: true, except: ['delete'] }, files: { all: true, except: [] } } },
        },
      }),
    );
    expect(tables.authRequired).toBe(true);
    const a = tables.keys.get(sha256Hex('key-a'))!;
    const b = tables.keys.get(sha256Hex('key-b'))!;
    const c = tables.keys.get(sha256Hex('key-c'))!;
    expect(a.id).toBe('key:a');
    expect(a.permissions).toBe(b.permissions);
    expect(a.permissions).not.toBe(c.permissions);
    expect(permits(a.permissions, 'github', 'search')).toBe(true);
    expect(permits(a.permissions, 'github', 'create')).toBe(false);
    expect(permits(a.permissions, 'files', 'read')).toBe(false);
    expect(permits(c.permissions, 'github', 'create')).toBe(true);
    expect(permits(c.permissions, 'github', 'delete')).toBe(false);
  });

  it('records declared tool names per server for the runtime naming rule', () => {
    const tables = buildTables(makeBundle({ servers, tools: { github__search: { server: 'github', tool: 'search_repositories' } } }));
    expect(tables.servers.get('github')?.declared.get('search_repositories')).toBe('github__search');
  });
});
