import { defineGateway, env } from 'mcpgw';
import { readFileSync } from 'node:fs';
const base = 'https://mcp.example.com';
export default defineGateway({
  version: 1,
  servers: {
    github: { transport: 'streamable-http', url: `${base}/github`, headers: { Authorization: env('GITHUB_TOKEN') } },
    files: { transport: 'stdio', command: readFileSync('cmd.txt', 'utf8'), args: [...['a', 'b']] },
  },
});
