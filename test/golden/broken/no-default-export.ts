import { defineGateway } from 'mcpgw';
export const gateway = defineGateway({ version: 1, servers: {} });
