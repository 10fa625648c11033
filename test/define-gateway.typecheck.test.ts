import { describe, expect, it } from 'vitest';
import { defineGateway, env, type GatewayDefinition } from '../index.js';

// `npm run typecheck` is the real assertion here: the full example must compile, and every
// expected error below must really be one, or tsc fails on the unused directive.

describe('defineGateway', () => {
  it('accepts a full definition and returns it unchanged', () => {
    const definition = {
      version: 1,
      gateway: {
        name: 'acme',
        tool_separator: '__',
        max_name_length: 128,
        allowed_origins: ['https://app.example.com'],
        max_request_bytes: 4_194_304,
        max_json_depth: 64,
      },
      servers: {
        github: {
          transport: 'streamable-http',
          url: 'https://mcp.example.com/github',
          headers: { Authorization: `Bearer ${env('GITHUB_TOKEN')}` },
          tools: { allow: ['search_repositories', 'create_issue'], deny: [] },
          aliases: { search_repositories: 'search' },
          cost: { default: 0.001, tools: { create_issue: 0.01 } },
          timeout_ms: 30_000,
          forward_headers: ['x-mcp-github-authorization'],
        },
        legacy: { transport: 'sse', url: 'https://old.example.com/sse' },
        files: {
          transport: 'stdio',
          command: 'npx',
          args: ['-y', '@modelcontextprotocol/server-filesystem', '/srv/data'],
          env: { TOKEN: env('FILES_TOKEN') },
          namespace: 'fs',
        },
      },
      access_groups: { readonly: ['github/search_repositories', 'files/*'] },
      orgs: { acme: { budget: { usd: 500, per: 'month' } } },
      teams: {
        platform: { org: 'acme', access: ['github', 'files'], rate_limit: { requests: 600, per: 'minute' } },
        interns: { org: 'acme', access: ['readonly'], deny: ['github/create_issue'], budget: { usd: 5, per: 'day' } },
      },
      keys: {
        'ci-bot': {
          sha256: 'a'.repeat(64),
          team: 'platform',
          access: ['github/search_repositories'],
          rate_limit: { requests: 60, per: 'minute', tools: { 'github/create_issue': { requests: 1, per: 'second' } } },
          budget: { usd: 1, per: 'day' },
        },
      },
      toolsets: { triage: ['github/search_repositories', 'github/create_issue'] },
      auth: {
        jwt: {
          issuer: 'https://idp.example.com',
          audience: ['mcpgw', 'mcpgw-staging'],
          jwks_uri: 'https://idp.example.com/jwks',
          algorithms: ['RS256'],
          claims: { team: 'groups', org: 'org' },
        },
      },
      limits: { store: 'redis', on_store_error: 'deny' },
    } satisfies GatewayDefinition;

    const result = defineGateway(definition);
    expect(result).toBe(definition);
    // The literal types survive, so an editor can show exactly what was declared.
    const transport: 'stdio' = result.servers.files.transport;
    expect(transport).toBe('stdio');
  });

  it('keeps literal types of an inline definition', () => {
    const result = defineGateway({ version: 1, servers: { a: { transport: 'stdio', command: 'x' } } });
    const command: 'x' = result.servers.a.command;
    expect(command).toBe('x');
  });

  it('rejects what the schema forbids, at compile time', () => {
    // @ts-expect-error version is always 1
    defineGateway({ version: 2, servers: {} });
    // @ts-expect-error servers is required
    defineGateway({ version: 1 });
    // @ts-expect-error an HTTP server needs a url
    defineGateway({ version: 1, servers: { a: { transport: 'streamable-http' } } });
    // @ts-expect-error unknown transport
    defineGateway({ version: 1, servers: { a: { transport: 'websocket', url: 'wss://x' } } });
    // @ts-expect-error budgets are per day or month
    defineGateway({ version: 1, servers: {}, orgs: { o: { budget: { usd: 1, per: 'year' } } } });
  });
});

describe('env', () => {
  it('writes the reference the runtime resolves', () => {
    expect(env('GITHUB_TOKEN')).toBe('${env:GITHUB_TOKEN}');
  });
});
