// A typed gateway definition: editors complete every key from the package's types.
// `mcpgw build examples/teams/gateway.ts` reads this file statically; it is never executed.
import { defineGateway, env } from 'mcpgw';

export default defineGateway({
  version: 1,
  gateway: { name: 'acme-gateway', tool_separator: '__', max_name_length: 64 },
  servers: {
    github: {
      description: 'GitHub issues and code search',
      transport: 'streamable-http',
      url: 'https://mcp.example.com/github',
      headers: { Authorization: `Bearer ${env('GITHUB_TOKEN')}` },
      tools: { allow: ['search_repositories', 'create_issue', 'list_issues'], deny: [] },
      aliases: { search_repositories: 'search' },
      cost: { default: 0.001, tools: { create_issue: 0.01 } },
      timeout_ms: 30000,
      forward_headers: ['x-mcp-github-authorization'],
      guardrails: ['no-secrets'],
    },
    files: {
      description: 'Shared documents, read-only',
      transport: 'stdio',
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-filesystem', '/srv/data'],
      namespace: 'fs',
    },
    tickets: {
      transport: 'sse',
      url: env('TICKETS_URL'),
    },
  },
  access_groups: {
    readonly: ['github/search_repositories', 'github/list_issues', 'files/*'],
  },
  orgs: {
    acme: { budget: { usd: 500, per: 'month' }, rate_limit: { requests: 6000, per: 'minute' } },
  },
  teams: {
    platform: { org: 'acme', access: ['github', 'files', 'tickets'], rate_limit: { requests: 600, per: 'minute' } },
    interns: { org: 'acme', access: ['readonly'], deny: ['github/create_issue'], budget: { usd: 5, per: 'day' }, guardrails: ['no-secrets'] },
  },
  keys: {
    'ci-bot': {
      description: 'CI pipeline: search only',
      sha256: '5b41362bc82b7f3d56edc5a306db22105707d01ff4819e26faef9724a2d406c9',
      team: 'platform',
      access: ['github/search_repositories'],
      rate_limit: { requests: 60, per: 'minute', tools: { 'github/search_repositories': { requests: 30, per: 'minute' } } },
      budget: { usd: 1, per: 'day' },
    },
    'intern-laptop': {
      sha256: 'b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c',
      team: 'interns',
    },
  },
  guardrails: {
    'no-secrets': {
      description: 'Keep credentials out of tool calls and their results',
      max_argument_bytes: 65536,
      deny_patterns: [{ pattern: 'BEGIN (RSA|OPENSSH) PRIVATE KEY', message: 'private keys must not be sent to tools' }],
      arguments_schema: { 'github/create_issue': { type: 'object', properties: { repo: { type: 'string', pattern: '^acme/' } } } },
      redact: [{ pattern: 'gh[pousr]_[A-Za-z0-9]{36}', replacement: '[REDACTED github token]' }],
    },
  },
  toolsets: {
    triage: ['github/list_issues', 'github/create_issue', 'tickets'],
  },
  limits: { store: 'memory', on_store_error: 'deny' },
});
