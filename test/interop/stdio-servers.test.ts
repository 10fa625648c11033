/**
 * Interop matrix, the published stdio servers @modelcontextprotocol/server-filesystem and
 * @modelcontextprotocol/server-memory, started by the gateway from the definition (`node <package
 * bin>`): every tool, through `/mcp` and `/mcp/<server>`, with the SDK 1.x and SDK v2 (auto) clients,
 * compared with the SDK 1.x client running its own copy of the server directly.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vitest from 'vitest';
import { afterAll, beforeAll, describe } from 'vitest';
import { connectV1, differentialRows, FILESYSTEM, MEMORY, sameOutcome, startGateway, stopAll, type Gateway, type Op, type Peer } from './harness.js';
import { absentList, call, capabilities, promptsList, resourcesList, toolsList } from './ops.js';

// One directory both copies of server-filesystem serve, so paths in answers are the same; every
// operation leaves it as it found it.
const ROOT = mkdtempSync(join(tmpdir(), 'mcpgw-interop-fs-'));
const DIR = join(ROOT, 'files');
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
mkdirSync(join(DIR, 'docs'), { recursive: true });
writeFileSync(join(DIR, 'hello.txt'), 'hello\nfrom\ninterop\n');
writeFileSync(join(DIR, 'docs', 'notes.md'), '# Notes\n\nsome notes\n');
writeFileSync(join(DIR, 'pixel.png'), Buffer.from(PNG, 'base64'));
writeFileSync(join(DIR, 'move-me.txt'), 'moving\n');

/** Dates server-filesystem reports (get_file_info, sizes listing) move between calls. */
function scrubDates(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/(created|modified|accessed|birthtime|mtime|atime|ctime)\S*:\s*[^\n]+/gi, '$1: <date>');
  if (Array.isArray(value)) return value.map(scrubDates);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubDates(v)]));
}

const fsOps: Op[] = [
  capabilities,
  toolsList,
  call('list_allowed_directories'),
  call('read_text_file', { path: join(DIR, 'hello.txt') }),
  call('read_text_file', { path: join(DIR, 'hello.txt'), head: 2 }, 'tools/call read_text_file head'),
  call('read_file', { path: join(DIR, 'hello.txt') }),
  call('read_media_file', { path: join(DIR, 'pixel.png') }),
  call('read_multiple_files', { paths: [join(DIR, 'hello.txt'), join(DIR, 'docs', 'notes.md')] }),
  call('write_file', { path: join(DIR, 'written.txt'), content: 'written through MCP\n' }),
  call('edit_file', { path: join(DIR, 'hello.txt'), edits: [{ oldText: 'from', newText: 'FROM' }], dryRun: true }, 'tools/call edit_file (dry run)'),
  call('create_directory', { path: join(DIR, 'made') }),
  call('list_directory', { path: join(DIR, 'docs') }),
  { name: 'tools/call list_directory_with_sizes', run: async (peer, names) => scrubDates(await peer.call(names.tool('list_directory_with_sizes'), { path: join(DIR, 'docs') })) },
  call('directory_tree', { path: join(DIR, 'docs') }),
  {
    name: 'tools/call move_file (there and back)',
    run: async (peer, names) => [
      await peer.call(names.tool('move_file'), { source: join(DIR, 'move-me.txt'), destination: join(DIR, 'moved.txt') }),
      await peer.call(names.tool('move_file'), { source: join(DIR, 'moved.txt'), destination: join(DIR, 'move-me.txt') }),
    ],
  },
  call('search_files', { path: DIR, pattern: '**/*.md' }),
  { name: 'tools/call get_file_info', run: async (peer, names) => scrubDates(await peer.call(names.tool('get_file_info'), { path: join(DIR, 'hello.txt') })) },
  call('read_text_file', { path: '/etc/hostname' }, 'tools/call read_text_file outside the allowed directory'),
  absentList('prompts/list', promptsList.run),
  absentList('resources/list', resourcesList.run),
];

/** Every operation of server-memory in an order that leaves the graph as it found it (empty). */
const ENTITY = { name: 'Ada', entityType: 'person', observations: ['wrote the first program'] };
const memoryOps: Op[] = [
  capabilities,
  toolsList,
  call('create_entities', { entities: [ENTITY, { name: 'Engine', entityType: 'machine', observations: ['analytical'] }] }),
  call('create_relations', { relations: [{ from: 'Ada', to: 'Engine', relationType: 'programmed' }] }),
  call('add_observations', { observations: [{ entityName: 'Ada', contents: ['born 1815'] }] }),
  call('read_graph'),
  call('search_nodes', { query: 'Ada' }),
  call('open_nodes', { names: ['Engine'] }),
  call('delete_observations', { deletions: [{ entityName: 'Ada', observations: ['born 1815'] }] }),
  call('delete_relations', { relations: [{ from: 'Ada', to: 'Engine', relationType: 'programmed' }] }),
  call('delete_entities', { entityNames: ['Ada', 'Engine'] }),
  { name: 'tools/call read_graph (empty again)', run: (peer, names) => peer.call(names.tool('read_graph')), check: sameOutcome },
];

let gateway: Gateway;
const direct = new Map<string, Peer>();

beforeAll(async () => {
  const memory = (name: string) => ({ MEMORY_FILE_PATH: join(ROOT, `${name}.jsonl`) });
  gateway = await startGateway({
    servers: {
      fs: { transport: 'stdio', command: process.execPath, args: [FILESYSTEM, DIR] },
      memory: { transport: 'stdio', command: process.execPath, args: [MEMORY], env: memory('gateway') },
    },
  });
  // The reference clients declare no roots: server-filesystem then serves the directories it was started with.
  const [fsPeer, memoryPeer] = await Promise.all([
    connectV1('stdio', [process.execPath, FILESYSTEM, DIR], { roots: false }),
    connectV1('stdio', [process.execPath, MEMORY], { env: memory('direct') }),
  ]);
  direct.set('fs', fsPeer).set('memory', memoryPeer);
});

afterAll(async () => {
  await Promise.all([...direct.values()].map((peer) => peer.close().catch(() => {})));
  await gateway?.stop();
  await stopAll();
  rmSync(ROOT, { recursive: true, force: true });
});

describe('server-filesystem stdio (fs)', () => {
  differentialRows({ server: 'fs', direct: () => direct.get('fs')!, gateway: () => gateway, ops: fsOps, connect: { roots: false } }, vitest);
});

describe('server-memory stdio (memory)', () => {
  differentialRows({ server: 'memory', direct: () => direct.get('memory')!, gateway: () => gateway, ops: memoryOps }, vitest);
});
