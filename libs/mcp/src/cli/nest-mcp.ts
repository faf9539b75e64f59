#!/usr/bin/env node
// The package's bin: `nest-mcp <command> URL|--stdio "COMMAND" ...` through the fallback client
// or a stdio child. The first thing to reach for when a server misbehaves, so every failure
// says what went wrong and exits with a documented code.
import {
  ClientCredentialsProvider,
  type RequestOptions,
  OAuthClientFlowError,
  UnauthorizedError,
} from '@modelcontextprotocol/client';
import {
  McpFallbackClient,
  type McpFallbackClientOptions,
  McpFallbackError,
  type TransportName,
} from '../client/node.js';
import {
  type CliAuth,
  type CliCommand,
  type CliCommon,
  parseArguments,
  versionNegotiationOf,
} from './cli-arguments.js';
import { COMMANDS, type CliCommandSpec } from './cli-commands.js';
import { CliError, EXIT } from './cli-errors.js';
import type { CliSession } from './cli-session.js';
import { commandUsage, usage } from './cli-usage.js';
import { connectStdio } from './stdio-session.js';
import { refusalStatusOf } from '../client/refusal-status.js';

const CLIENT_INFO = { name: 'nest-mcp-cli', version: '0.1.0' };
/** The stdio server's budget to start and answer: a Nest app boots in about a second. */
const DEFAULT_STDIO_TIMEOUT_MS = 10_000;

async function main(argv: readonly string[]): Promise<number> {
  const command = parseArguments(argv);
  if (command.kind === 'help') {
    process.stdout.write(`${command.command === undefined ? usage() : commandUsage(command.command)}\n`);
    return EXIT.ok;
  }
  const session = await connect(command);
  try {
    return await run(session, command);
  } finally {
    await session.close().catch(() => undefined);
  }
}

async function connect(command: CliCommon): Promise<CliSession> {
  const session = 'stdio' in command.target ? await connectStdioTarget(command) : await connectUrl(command);
  // Scripts (--json) get pure JSON on stdout; the transport is still said, on stderr.
  (command.json ? process.stderr : process.stdout).write(`transport: ${session.transportName}\n`);
  if (command.verbose)
    process.stderr.write(
      `nest-mcp: protocol ${session.client.getNegotiatedProtocolVersion() ?? 'unknown'}\n`,
    );
  return session;
}

function connectStdioTarget(command: CliCommon): Promise<CliSession> {
  return connectStdio((command.target as { stdio: string }).stdio, {
    clientInfo: CLIENT_INFO,
    timeoutMs: command.timeoutMs ?? DEFAULT_STDIO_TIMEOUT_MS,
    era: command.era,
    verbose: command.verbose,
  });
}

async function connectUrl(command: CliCommon): Promise<CliSession> {
  const { url } = command.target as { url: URL };
  const timeouts =
    command.timeoutMs === undefined
      ? undefined
      : ({
          'streamable-http': command.timeoutMs,
          websocket: command.timeoutMs,
          polling: command.timeoutMs,
        } satisfies Record<TransportName, number>);
  const mcp = new McpFallbackClient(url, {
    clientInfo: CLIENT_INFO,
    transports: command.transports,
    headers: command.headers,
    timeouts,
    versionNegotiation: versionNegotiationOf(command.era),
    // A one-shot command needs no notifications, and must not linger reconnecting.
    listen: command.transports === undefined ? undefined : false,
    reconnect: { enabled: false },
    ...authOptions(command.auth),
  });
  try {
    await mcp.connect();
  } catch (error) {
    if (error instanceof McpFallbackError) {
      const reasons = error.attempts.map(
        (attempt) => `  ${attempt.transport}: ${attempt.reason} (${attempt.ms} ms)`,
      );
      // Reached, and told no: a refusal (4), with what to do about a 401 or 403.
      const statuses = error.attempts.map((attempt) => attempt.status);
      if (statuses.some((status) => status === 401 || status === 403)) {
        throw new CliError(
          `${url.href} refused the connection: ${statuses.includes(401) ? 'it needs an access token' : 'the access token lacks scopes'} ${AUTH_HINT}\n${reasons.join('\n')}`,
          EXIT.refused,
        );
      }
      throw new CliError(`cannot reach ${url.href}\n${reasons.join('\n')}`, EXIT.unreachable);
    }
    if (error instanceof UnauthorizedError) {
      throw new CliError(`${url.href} needs authorization: ${error.message} ${AUTH_HINT}`, EXIT.refused);
    }
    throw error;
  }
  if (command.verbose) {
    for (const attempt of mcp.attempts) {
      process.stderr.write(
        `nest-mcp: ${attempt.transport} ${attempt.ok ? 'ok' : 'failed'} in ${attempt.ms} ms: ${attempt.reason}\n`,
      );
    }
  }
  return { transportName: mcp.transportName, client: mcp.client, close: () => mcp.close() };
}

async function run(session: CliSession, command: Extract<CliCommand, { kind: 'run' }>): Promise<number> {
  const spec = COMMANDS[command.command] as CliCommandSpec<unknown>;
  const request: RequestOptions = command.timeoutMs === undefined ? {} : { timeout: command.timeoutMs };
  let output;
  try {
    output = await spec.run(session.client, command.params, request);
  } catch (error) {
    throw asCliError(error, command.timeoutMs);
  }
  process.stdout.write(command.json ? `${JSON.stringify(output.json, null, 2)}\n` : `${output.text}\n`);
  if (output.exitCode === EXIT.toolError)
    process.stderr.write(`nest-mcp: ${output.notice ?? 'the tool reported an error (isError)'}\n`);
  return output.exitCode;
}

/** What to do about a 401 or 403. */
const AUTH_HINT = '(give --bearer TOKEN with the scopes needed, or --client-id and --client-secret)';

/**
 * A JSON-RPC error answer or an HTTP 4xx (the server refused) is 4 with the server's message; the SDK's
 * request timeout is 5; a connection lost on the way is 3.
 */
function asCliError(error: unknown, timeoutMs: number | undefined): unknown {
  if (error instanceof CliError) return error;
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code === 'number')
    return new CliError(`the server refused the request: ${message}`, EXIT.refused);
  // The SDK's verdict on a 401/403 challenge it could not satisfy (a token lacking a scope).
  if (error instanceof UnauthorizedError || error instanceof OAuthClientFlowError) {
    return new CliError(`the server refused the request: ${message} ${AUTH_HINT}`, EXIT.refused);
  }
  // An HTTP refusal of the request is the server's answer too.
  const status = refusalStatusOf(error);
  if (status !== undefined && status < 500) {
    const hint = status === 401 || status === 403 ? ` ${AUTH_HINT}` : '';
    return new CliError(`the server refused the request (HTTP ${status}): ${message}${hint}`, EXIT.refused);
  }
  if (code === 'REQUEST_TIMEOUT')
    return new CliError(`no answer within ${timeoutMs ?? 60_000} ms (--timeout): ${message}`, EXIT.timeout);
  return new CliError(`the connection was lost: ${message}`, EXIT.unreachable);
}

// A reader that stops early (`nest-mcp tools URL | head`) closes our stdout: that is the
// reader's choice, not a failure of the command, so it ends quietly instead of crashing on EPIPE.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(EXIT.ok);
  throw error;
});

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof CliError) {
      process.stderr.write(`nest-mcp: ${error.message}\n`);
      if (error.exitCode === EXIT.usage) process.stderr.write('Run "nest-mcp --help" for usage.\n');
      process.exit(error.exitCode);
    }
    process.stderr.write(`nest-mcp: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(EXIT.unreachable);
  },
);

/** The client's auth options for the command line's (see `CliAuth`). */
function authOptions(auth: CliAuth): Pick<McpFallbackClientOptions, 'authProvider' | 'bearerToken'> {
  if (auth.bearer !== undefined) return { bearerToken: auth.bearer };
  if (auth.clientId === undefined) return {};
  return {
    authProvider: new ClientCredentialsProvider({
      clientId: auth.clientId,
      clientSecret: auth.clientSecret!,
      clientName: CLIENT_INFO.name,
      ...(auth.scope !== undefined && { scope: auth.scope }),
    }),
  };
}
