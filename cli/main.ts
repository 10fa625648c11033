#!/usr/bin/env node
import { cac } from 'cac';
import { VERSION } from '../lib/version.js';
import { EXIT, UsageError } from './exit.js';

/**
 * The mcpgw command line (DESIGN §7). Each command loads its module on demand, so `serve` never pays
 * for the compiler (ts-morph, yaml) and `build` never loads uWebSockets.js.
 */
const cli = cac('mcpgw');

cli
  .command('validate <config>', 'Load and validate a gateway definition; diagnostics go to stderr')
  .example('mcpgw validate gateway.yaml')
  .action(async (config: string) => (await import('./commands/build.js')).validate(config));

cli
  .command('build <config>', 'Validate, compile and write the routing bundle; prints its sha256 digest')
  .option('-o, --output <file>', 'Where to write the bundle', { default: 'bundle.json' })
  .option('--sign <key>', 'Sign the digest with this Ed25519 private key: a PEM file, or env:NAME to read it from the environment (repeatable)')
  .example('mcpgw build gateway.yaml -o bundle.json')
  .example('mcpgw build gateway.yaml -o bundle.json --sign env:MCPGW_SIGNING_KEY')
  .action(async (config: string, options: { output: string; sign?: unknown }) =>
    (await import('./commands/build.js')).build(config, options.output, (await import('./key-source.js')).listOf(options.sign)),
  );

cli
  .command('serve <bundle>', 'Serve a compiled bundle over MCP (both protocol eras); SIGHUP reloads it, SIGTERM drains')
  .option('--host <host>', 'Interface to listen on', { default: '127.0.0.1' })
  .option('--port <port>', 'Port to listen on (0 picks a free one); a port already bound is refused', { default: 8080 })
  .option('--drain-timeout <seconds>', 'On SIGTERM or SIGINT, how long requests in flight may take to finish before they are cut', { default: 30 })
  .option('--trust <public key>', 'Serve only a bundle signed by this Ed25519 public key: a PEM file, or env:NAME (repeatable: any one of them)')
  .option('--watch', 'Reload the bundle whenever its file changes, as SIGHUP does (a bad one keeps the old serving)')
  .example('mcpgw serve bundle.json --port 8080')
  .example('mcpgw serve bundle.json --trust /etc/mcpgw/signing.pub')
  .action(async (bundle: string, options: { host: string; port: number | string; drainTimeout: number | string; trust?: unknown; watch?: boolean }) =>
    (await import('./commands/serve.js')).serve(bundle, options),
  );

cli
  .command('explain <input>', 'What a principal may use and why, from a bundle or a definition; with --tool, allowed or denied and the deciding rule')
  .option('--key <name>', 'An API key, by its name in the definition')
  .option('--team <name>', 'A team')
  .option('--claims <json>', 'A JWT subject, by its claims (mapped through auth.jwt.claims)')
  .option('--tool <name>', 'One tool, by its name on /mcp (github__search) or as server/tool')
  .option('--format <format>', 'text or json', { default: 'text' })
  .example('mcpgw explain bundle.json --key ci-bot --tool github__create_issue')
  .action(async (input: string, options: Record<string, unknown>) => (await import('./commands/explain.js')).explain(input, options));

cli
  .command('diff <old> <new>', 'Who gains and loses access to what between two bundles or definitions, and limit, budget and server changes')
  .option('--format <format>', 'markdown (a pull-request comment) or json', { default: 'markdown' })
  .example('mcpgw diff base.json head.json --format markdown')
  .action(async (old: string, next: string, options: { format?: unknown }) => (await import('./commands/diff.js')).diff(old, next, options.format));

cli
  .command('keys <action>', 'Key tools. `mcpgw keys new` prints a new random API key and the sha256 to put in the definition; `mcpgw keys signing` writes a bundle signing key pair')
  .option('--out <prefix>', 'keys signing: write <prefix>.key (private, mode 600) and <prefix>.pub', { default: 'mcpgw-signing' })
  .example('mcpgw keys new')
  .example('mcpgw keys signing --out ci-signing')
  .action(async (action: string, options: { out: string }) => (await import('./commands/keys.js')).keys(action, options));

cli
  .command('client-config <client>', 'The config snippet an MCP client documents for this gateway (cursor, vscode, claude-desktop, claude-code, codex, windsurf, gemini); --write merges it into the client\'s file')
  .option('--url <url>', 'The gateway endpoint, e.g. https://mcp.example.com/mcp')
  .option('--name <name>', 'The entry\'s name in the client', { default: 'mcpgw' })
  .option('--key-env <var>', 'The environment variable the client reads the API key from (default MCPGW_API_KEY; VS Code prompts unless given)')
  .option('--write', 'Merge into the client\'s config file: other entries kept, a backup written')
  .option('--force', 'With --write, replace an existing entry of the same name')
  .example('mcpgw client-config cursor --url https://mcp.example.com/mcp --write')
  .example('claude mcp add-json --scope user mcpgw "$(mcpgw client-config claude-code --url https://mcp.example.com/mcp)"')
  .action(async (client: string, options: Record<string, unknown>) => (await import('./commands/client-config.js')).clientConfig(client, options));

/** How connect and the shell client reach the gateway: extra headers and the key (cli/commands/shell.ts). */
function gatewayCommand(name: string, description: string) {
  return cli
    .command(name, description)
    .option('--header <line>', "A request header, 'Name: value' (repeatable)")
    .option('--key-env <var>', 'The environment variable holding the API key, sent as Authorization: Bearer');
}

const shellCommand = (name: string, description: string) => gatewayCommand(name, description).option('--json', 'Print the result as JSON, for scripts');

gatewayCommand('connect <url>', 'A stdio bridge to the gateway for clients that start local servers only (Claude Desktop): relays every message both ways, rides out gateway restarts')
  .example('MCPGW_API_KEY=… mcpgw connect https://mcp.example.com/mcp --key-env MCPGW_API_KEY')
  .action(async (url: string, options: Record<string, unknown>) => (await import('./commands/connect.js')).connect(url, options));
shellCommand('tools <url>', 'List the tools the gateway offers at URL (exit 3 when it cannot be reached or refuses the key)')
  .example('MCPGW_KEY=… mcpgw tools http://127.0.0.1:8080/mcp --key-env MCPGW_KEY')
  .action(async (url: string, options: Record<string, unknown>) => (await import('./commands/shell.js')).tools(url, options));
shellCommand('call <url> <tool> [...pairs]', 'Call a tool with --args JSON or key=value pairs (exit 1 when the tool answers isError)')
  .option('--args <json>', 'The arguments as one JSON object')
  .example('mcpgw call http://127.0.0.1:8080/mcp github__search query=mcp limit=5')
  .action(async (url: string, tool: string, pairs: string[], options: Record<string, unknown>) => (await import('./commands/shell.js')).call(url, tool, pairs, options));
shellCommand('prompts <url>', 'List the prompts the gateway offers at URL').action(async (url: string, options: Record<string, unknown>) =>
  (await import('./commands/shell.js')).prompts(url, options),
);
shellCommand('resources <url>', 'List the resources the gateway offers at URL').action(async (url: string, options: Record<string, unknown>) =>
  (await import('./commands/shell.js')).resources(url, options),
);
shellCommand('read <url> <uri>', 'Read one resource by its URI').action(async (url: string, uri: string, options: Record<string, unknown>) =>
  (await import('./commands/shell.js')).read(url, uri, options),
);

cli.help();
cli.version(VERSION);

async function main(): Promise<number> {
  cli.parse(process.argv, { run: false });
  if (cli.options.help || cli.options.version) return EXIT.ok;
  if (!cli.matchedCommand) {
    const name = cli.args[0];
    throw new UsageError(name ? `unknown command '${name}'` : 'no command given');
  }
  const code = await cli.runMatchedCommand();
  return typeof code === 'number' ? code : EXIT.ok;
}

main().then(
  (code) => {
    if (code !== EXIT.running) process.exitCode = code;
  },
  (error: unknown) => {
    const err = error as Error;
    if (err instanceof UsageError || err.name === 'CACError') {
      process.stderr.write(`mcpgw: ${err.message}\nRun 'mcpgw --help' for usage.\n`);
      process.exitCode = EXIT.usage;
    } else {
      process.stderr.write(`mcpgw: ${err.message}\n`);
      process.exitCode = EXIT.invalid;
    }
  },
);
