import type { VersionNegotiationMode } from '@modelcontextprotocol/client';
import { TRANSPORT_NAMES, type TransportName } from '../client/index.js';
import { COMMANDS, type CliCommandName, isCommandName } from './cli-commands.js';
import { CliError, EXIT } from './cli-errors.js';

/** The protocol era the CLI speaks: `'2025'` is 2025-11-25, `'2026'` is 2026-07-28. */
export type CliEra = '2025' | '2026';

/** A parsed command line. */
export type CliCommand =
  | { kind: 'help'; command?: CliCommandName }
  | ({ kind: 'run'; command: CliCommandName; params: unknown } & CliCommon);

/** Where the server is: an MCP URL, or a command the CLI starts and speaks to over stdio. */
export type CliTarget = { readonly url: URL } | { readonly stdio: string };

export interface CliCommon {
  target: CliTarget;
  transports: TransportName[] | undefined;
  headers: Record<string, string>;
  timeoutMs: number | undefined;
  /** Undefined: 2026-07-28 first, falling back to 2025-11-25. */
  era: CliEra | undefined;
  json: boolean;
  verbose: boolean;
  /** OAuth for protected servers (not with stdio). */
  auth: CliAuth;
}

/**
 * How the CLI authorizes: a bearer token obtained elsewhere (`--bearer`, or `MCP_BEARER_TOKEN`),
 * or OAuth client credentials run through the SDK's `ClientCredentialsProvider` (`--client-id`,
 * `--client-secret` or `MCP_CLIENT_SECRET`, `--scope`): the CLI finds the authorization server
 * from the server's 401 challenge, as the MCP authorization chapter has clients do.
 */
export interface CliAuth {
  bearer?: string;
  clientId?: string;
  clientSecret?: string;
  scope?: string;
}

/**
 * Parses `argv` (without `node` and the script). Options may come anywhere; a lone `--` ends
 * them, and what follows is the stdio server's command line (`nest-mcp tools -- node main.js`).
 *
 * @throws CliError with exit code 2 for anything malformed, before any connection is made.
 */
export function parseArguments(argv: readonly string[]): CliCommand {
  const positional: string[] = [];
  let stdio: string | undefined;
  let help = false;
  const common: Omit<CliCommon, 'target'> = {
    transports: undefined,
    headers: {},
    timeoutMs: undefined,
    era: undefined,
    json: false,
    verbose: false,
    auth: {},
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new CliError(`${arg} needs a value`, EXIT.usage);
      return next;
    };
    if (arg === '--') {
      if (stdio !== undefined)
        throw new CliError('give --stdio "COMMAND" or -- COMMAND, not both', EXIT.usage);
      stdio = parseStdioCommand(
        argv
          .slice(i + 1)
          .map(shellQuoted)
          .join(' '),
      );
      break;
    } else if (arg === '-h' || arg === '--help') help = true;
    else if (arg === '--transport') common.transports = parseTransport(value());
    else if (arg.startsWith('--transport=')) common.transports = parseTransport(arg.slice(12));
    else if (arg === '--stdio') stdio = parseStdioCommand(value());
    else if (arg.startsWith('--stdio=')) stdio = parseStdioCommand(arg.slice(8));
    else if (arg === '--header') addHeader(common.headers, value());
    else if (arg === '--timeout') common.timeoutMs = parseTimeout(value());
    else if (arg === '--era') common.era = parseEra(value());
    else if (arg.startsWith('--era=')) common.era = parseEra(arg.slice(6));
    else if (arg === '--legacy') common.era = '2025';
    else if (arg === '--bearer') common.auth.bearer = value();
    else if (arg === '--client-id') common.auth.clientId = value();
    else if (arg === '--client-secret') common.auth.clientSecret = value();
    else if (arg === '--scope') common.auth.scope = value();
    else if (arg === '--json') common.json = true;
    else if (arg === '--verbose') common.verbose = true;
    else if (arg.startsWith('-') && arg !== '-') throw new CliError(`unknown option ${arg}`, EXIT.usage);
    else positional.push(arg);
  }
  const name = positional.shift();
  if (name !== undefined && name !== 'help' && !isCommandName(name))
    throw new CliError(
      `unknown command "${name}" (commands: ${Object.keys(COMMANDS).join(', ')})`,
      EXIT.usage,
    );
  if (name === 'help') {
    const topic = positional[0];
    return topic !== undefined && isCommandName(topic) ? { kind: 'help', command: topic } : { kind: 'help' };
  }
  if (help) return name === undefined ? { kind: 'help' } : { kind: 'help', command: name };
  if (name === undefined) throw new CliError('no command given', EXIT.usage);
  completeAuth(common.auth);
  const target = parseTarget(name, stdio, positional, common);
  const spec = COMMANDS[name];
  if (positional.length > spec.maxOperands)
    throw new CliError(`unexpected argument "${positional[spec.maxOperands]}"`, EXIT.usage);
  return { kind: 'run', command: name, params: spec.parse(positional), target, ...common };
}

/** How the SDK client negotiates for `era`. */
export function versionNegotiationOf(era: CliEra | undefined): VersionNegotiationMode {
  if (era === '2025') return 'legacy';
  return era === '2026' ? { pin: '2026-07-28' } : 'auto';
}

/** The URL (taken off the front of `positional`), or the stdio command; never both. */
function parseTarget(
  command: string,
  stdio: string | undefined,
  positional: string[],
  common: Omit<CliCommon, 'target'>,
): CliTarget {
  if (stdio === undefined) {
    const rawUrl = positional.shift();
    if (rawUrl === undefined) throw new CliError(`${command} needs a URL or --stdio "COMMAND"`, EXIT.usage);
    return { url: parseUrl(rawUrl) };
  }
  if (common.auth.bearer !== undefined || common.auth.clientId !== undefined) {
    throw new CliError(
      '--stdio takes no --bearer or --client-id: stdio servers take credentials from their environment',
      EXIT.usage,
    );
  }
  if (common.transports !== undefined || Object.keys(common.headers).length > 0) {
    throw new CliError('--stdio takes no --transport or --header: it is its own transport', EXIT.usage);
  }
  // A URL before the operands would be read as one: say what happened instead.
  if (/^https?:\/\//i.test(positional[0] ?? '')) {
    throw new CliError(`give a URL or --stdio "COMMAND", not both (got "${positional[0]}")`, EXIT.usage);
  }
  return { stdio };
}

function parseStdioCommand(raw: string): string {
  if (raw.trim() === '')
    throw new CliError('--stdio needs a command, e.g. "node dist/main-stdio.js"', EXIT.usage);
  return raw;
}

/** One word of a `--` command line, quoted for `sh -c` (or `cmd /c`) only when it needs it. */
function shellQuoted(word: string): string {
  if (/^[\w@%+=:,./-]+$/.test(word)) return word;
  return process.platform === 'win32'
    ? `"${word.replaceAll('"', '""')}"`
    : `'${word.replaceAll("'", "'\\''")}'`;
}

function parseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliError(`not a URL: "${raw}" (expected e.g. http://localhost:3000/mcp)`, EXIT.usage);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError(
      `URL must be http: or https: (got ${url.protocol}); WebSocket is tried on the same URL`,
      EXIT.usage,
    );
  }
  return url;
}

function parseTransport(raw: string): TransportName[] | undefined {
  if (raw === 'auto') return undefined;
  if (!(TRANSPORT_NAMES as readonly string[]).includes(raw)) {
    throw new CliError(`--transport must be auto, ${TRANSPORT_NAMES.join(', ')} (got "${raw}")`, EXIT.usage);
  }
  return [raw as TransportName];
}

function parseEra(raw: string): CliEra {
  if (raw === '2025' || raw === '2025-11-25') return '2025';
  if (raw === '2026' || raw === '2026-07-28') return '2026';
  throw new CliError(`--era must be 2025 or 2026 (got "${raw}")`, EXIT.usage);
}

function addHeader(headers: Record<string, string>, raw: string): void {
  const colon = raw.indexOf(':');
  if (colon <= 0) throw new CliError(`--header must be "Name: value" (got "${raw}")`, EXIT.usage);
  headers[raw.slice(0, colon).trim()] = raw.slice(colon + 1).trim();
}

function parseTimeout(raw: string): number {
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms <= 0)
    throw new CliError(`--timeout must be a positive integer of ms (got "${raw}")`, EXIT.usage);
  return ms;
}

/** Secrets may come from the environment (kept out of shell history); the options must agree. */
function completeAuth(auth: CliAuth, env = process.env): void {
  auth.bearer ??= env['MCP_BEARER_TOKEN'] || undefined;
  if (auth.clientId !== undefined) auth.clientSecret ??= env['MCP_CLIENT_SECRET'] || undefined;
  if (auth.bearer !== undefined && auth.clientId !== undefined) {
    throw new CliError('give --bearer or --client-id, not both', EXIT.usage);
  }
  if (auth.clientId !== undefined && auth.clientSecret === undefined) {
    throw new CliError('--client-id needs --client-secret (or MCP_CLIENT_SECRET)', EXIT.usage);
  }
  if (auth.clientId === undefined && (auth.clientSecret !== undefined || auth.scope !== undefined)) {
    throw new CliError('--client-secret and --scope need --client-id', EXIT.usage);
  }
}
