import { TRANSPORT_NAMES, type TransportName } from '../client/index.js';
import { CliError, EXIT } from './cli-errors.js';

export const USAGE = `Usage:
  nest-mcp call URL TOOL [JSON_ARGS] [options]   call a tool, print its result as JSON
  nest-mcp tools URL [options]                   list the server's tools as JSON
  nest-mcp call --stdio "COMMAND" TOOL [JSON_ARGS] [options]
  nest-mcp tools --stdio "COMMAND" [options]     the same with a server the CLI starts and
                                                 speaks to over its stdin/stdout

The first line of output is "transport: <name>", the transport the client ended up with.

Options:
  --transport auto|streamable-http|websocket|polling   force one transport (default auto:
                                  Streamable HTTP with SSE, then WebSocket, then polling)
  --stdio "COMMAND"               instead of a URL: run COMMAND through the shell (sh -c,
                                  cmd /c on Windows) with this environment, and speak MCP on
                                  its stdin/stdout; its stderr is shown with --verbose or
                                  when it fails to answer
  --header "Name: value"          add a header to every request (repeatable; not with --stdio)
  --timeout MS                    budget per transport attempt, or for the stdio server to
                                  start and answer (default 10000)
  --legacy                        speak the 2025-11-25 protocol only (no 2026-07-28 probe)
  --verbose                       print every transport attempt and its reason to stderr
  -h, --help                      this text

Exit codes: 0 ok, 1 the tool reported an error (isError), 2 bad command line,
3 server unreachable over every transport, 4 request refused (unknown tool, bad arguments).`;

/** A parsed command line. */
export type CliCommand =
  | { kind: 'help' }
  | ({ kind: 'tools' } & CliCommon)
  | ({ kind: 'call'; tool: string; args: Record<string, unknown> } & CliCommon);

/** Where the server is: an MCP URL, or a command the CLI starts and speaks to over stdio. */
export type CliTarget = { readonly url: URL } | { readonly stdio: string };

export interface CliCommon {
  target: CliTarget;
  transports: TransportName[] | undefined;
  headers: Record<string, string>;
  timeoutMs: number | undefined;
  legacy: boolean;
  verbose: boolean;
}

export function parseArguments(argv: readonly string[]): CliCommand {
  const positional: string[] = [];
  let stdio: string | undefined;
  const common: Omit<CliCommon, 'target'> = {
    transports: undefined,
    headers: {},
    timeoutMs: undefined,
    legacy: false,
    verbose: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new CliError(`${arg} needs a value`, EXIT.usage);
      return next;
    };
    if (arg === '-h' || arg === '--help') return { kind: 'help' };
    else if (arg === '--transport') common.transports = parseTransport(value());
    else if (arg.startsWith('--transport=')) common.transports = parseTransport(arg.slice(12));
    else if (arg === '--stdio') stdio = parseStdioCommand(value());
    else if (arg.startsWith('--stdio=')) stdio = parseStdioCommand(arg.slice(8));
    else if (arg === '--header') addHeader(common.headers, value());
    else if (arg === '--timeout') common.timeoutMs = parseTimeout(value());
    else if (arg === '--legacy') common.legacy = true;
    else if (arg === '--verbose') common.verbose = true;
    else if (arg.startsWith('--')) throw new CliError(`unknown option ${arg}`, EXIT.usage);
    else positional.push(arg);
  }
  const command = positional.shift();
  if (command === undefined) return { kind: 'help' };
  if (command !== 'call' && command !== 'tools')
    throw new CliError(`unknown command "${command}"`, EXIT.usage);
  const target = parseTarget(command, stdio, positional, common);
  const [tool, json, ...extra] = positional;
  if (command === 'tools') {
    if (tool !== undefined) throw new CliError(`unexpected argument "${tool}"`, EXIT.usage);
    return { kind: 'tools', target, ...common };
  }
  if (tool === undefined) throw new CliError('call needs a TOOL name', EXIT.usage);
  if (extra.length > 0) throw new CliError(`unexpected argument "${extra[0]}"`, EXIT.usage);
  return { kind: 'call', target, tool, args: parseJsonArguments(json), ...common };
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
  if (common.transports !== undefined || Object.keys(common.headers).length > 0) {
    throw new CliError('--stdio takes no --transport or --header: it is its own transport', EXIT.usage);
  }
  // A URL before the tool name would be read as the tool: say what happened instead.
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

function parseJsonArguments(raw: string | undefined): Record<string, unknown> {
  if (raw === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new CliError(`JSON_ARGS is not valid JSON: ${(error as Error).message}`, EXIT.usage);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CliError('JSON_ARGS must be a JSON object, e.g. \'{"query":"milk"}\'', EXIT.usage);
  }
  return parsed as Record<string, unknown>;
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
