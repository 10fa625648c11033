import { defineGateway } from 'mcpgw';

export default defineGateway({
  version: 1,
  servers: {
    github: { transprot: 'streamable-http', url: 'https://mcp.example.com/github' },
    files: { transport: 'stdio', command: 'npx', timeout_ms: '5000' },
    wiki: { transport: 'stdio', command: 'npx', tools: { allow: ['search_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'] } },
    'github': { transport: 'stdio', command: 'npx' },
  },
});
