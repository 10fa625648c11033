import { describe, expect, it } from 'vitest';
import { resolveEnvRefs } from '../../runtime/upstream/env.js';
import { createUpstreamPool } from '../../runtime/upstream/pool.js';
import { httpServer, stdioServer } from './helpers.js';

describe('resolveEnvRefs', () => {
  it('replaces every reference and leaves other text alone', () => {
    const env = { TOKEN: 'abc', HOST: 'example.com' };
    expect(resolveEnvRefs('Bearer ${env:TOKEN} @ ${env:HOST}/${TOKEN}', env, 'here')).toBe(
      'Bearer abc @ example.com/${TOKEN}',
    );
  });

  it('accepts an empty value as set', () => {
    expect(resolveEnvRefs('[${env:EMPTY}]', { EMPTY: '' }, 'here')).toBe('[]');
  });

  it('names the field and the variable when one is missing', () => {
    expect(() => resolveEnvRefs('Bearer ${env:GITHUB_TOKEN}', {}, "server 'github': headers.Authorization")).toThrow(
      new Error("server 'github': headers.Authorization references ${env:GITHUB_TOKEN}, which is not set"),
    );
  });
});

describe('createUpstreamPool configuration errors', () => {
  it('fails at creation when a header references an unset variable', () => {
    const servers = {
      github: httpServer('https://mcp.example.com/github', {
        headers: { Authorization: 'Bearer ${env:GITHUB_TOKEN}' },
      }),
    };
    expect(() => createUpstreamPool(servers, { env: {} })).toThrow(
      "server 'github': headers.Authorization references ${env:GITHUB_TOKEN}, which is not set",
    );
  });

  it('checks url, args, env and cwd too', () => {
    expect(() => createUpstreamPool({ a: httpServer('https://${env:HOST}/mcp') }, { env: {} })).toThrow(
      "server 'a': url references ${env:HOST}",
    );
    expect(() =>
      createUpstreamPool({ b: stdioServer('x.mjs', { args: ['--key', '${env:KEY}'] }) }, { env: {} }),
    ).toThrow("server 'b': args[1] references ${env:KEY}");
    expect(() =>
      createUpstreamPool({ c: stdioServer('x.mjs', { env: { API_KEY: '${env:KEY}' } }) }, { env: {} }),
    ).toThrow("server 'c': env.API_KEY references ${env:KEY}");
    expect(() => createUpstreamPool({ d: stdioServer('x.mjs', { cwd: '${env:DIR}' }) }, { env: {} })).toThrow(
      "server 'd': cwd references ${env:DIR}",
    );
  });

  it('rejects missing or malformed transport settings without echoing the value', () => {
    expect(() => createUpstreamPool({ a: { transport: 'streamable-http', timeout_ms: 1000 } })).toThrow(
      "server 'a': url is required for transport streamable-http",
    );
    expect(() => createUpstreamPool({ b: { transport: 'stdio', timeout_ms: 1000 } })).toThrow(
      "server 'b': command is required for transport stdio",
    );
    expect(() =>
      createUpstreamPool({ c: httpServer('not a url ${env:SECRET}') }, { env: { SECRET: 's3cret' } }),
    ).toThrow(new Error("server 'c': url is not a valid URL"));
  });

  it('does not connect or spawn anything at creation', async () => {
    const pool = createUpstreamPool({
      gone: stdioServer('/nonexistent/server.mjs'),
      down: httpServer('http://127.0.0.1:9/mcp'),
    });
    expect(pool.statuses()).toEqual([
      { server: 'gone', state: 'idle', restarts: 0 },
      { server: 'down', state: 'idle', restarts: 0 },
    ]);
    expect(() => pool.get('nope')).toThrow("no upstream server named 'nope'");
    await pool.close();
  });
});
