#!/usr/bin/env node
// The package's bin: `nest-mcp call URL TOOL [JSON_ARGS]` and `nest-mcp tools URL`, through the
// fallback client. The first thing to reach for when a deployment misbehaves, so every failure
// says what went wrong and exits with a documented code.
import { McpFallbackClient, McpFallbackError, type TransportName } from '../client/node.js';
import { type CliCommand, type CliCommon, parseArguments, USAGE } from './cli-arguments.js';
import { CliError, EXIT } from './cli-errors.js';
import type { CliSession } from './cli-session.js';
import { connectStdio } from './stdio-session.js';

const CLIENT_INFO = { name: 'nest-mcp-cli', version: '0.1.0' };
/** The stdio server's budget to start and answer: a Nest app boots in about a second. */
const DEFAULT_STDIO_TIMEOUT_MS = 10_000;

async function main(argv: readonly string[]): Promise<number> {
  const command = parseArguments(argv);
  if (command.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  const mcp = await connect(command);
  try {
    return await run(mcp, command);
  } finally {
    await mcp.close();
  }
}

async function connect(command: CliCommon): Promise<CliSession> {
  if ('stdio' in command.target) {
    const session = await connectStdio(command.target.stdio, {
      clientInfo: CLIENT_INFO,
      timeoutMs: command.timeoutMs ?? DEFAULT_STDIO_TIMEOUT_MS,
      legacy: command.legacy,
      verbose: command.verbose,
    });
    process.stdout.write(`transport: ${session.transportName}\n`);
    return session;
  }
  const { url } = command.target;
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
    versionNegotiation: command.legacy ? 'legacy' : 'auto',
    // A one-shot command needs no notifications, and must not linger reconnecting.
    listen: command.transports === undefined ? undefined : false,
    reconnect: { enabled: false },
  });
  try {
    await mcp.connect();
  } catch (error) {
    if (error instanceof McpFallbackError) {
      const reasons = error.attempts.map(
        (attempt) => `  ${attempt.transport}: ${attempt.reason} (${attempt.ms} ms)`,
      );
      throw new CliError(`cannot reach ${url.href}\n${reasons.join('\n')}`, EXIT.unreachable);
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
  process.stdout.write(`transport: ${mcp.transportName}\n`);
  return mcp;
}

async function run(mcp: CliSession, command: Exclude<CliCommand, { kind: 'help' }>): Promise<number> {
  const { tools } = await refusedOnProtocolError(mcp.listTools());
  if (command.kind === 'tools') {
    printJson(tools);
    return EXIT.ok;
  }
  if (!tools.some((tool) => tool.name === command.tool)) {
    const names = tools.map((tool) => tool.name).join(', ') || 'none';
    throw new CliError(`unknown tool "${command.tool}" (the server has: ${names})`, EXIT.refused);
  }
  const result = await refusedOnProtocolError(mcp.callTool(command.tool, command.args));
  printJson(result);
  return result.isError === true ? EXIT.toolError : EXIT.ok;
}

/** A JSON-RPC error answer (a protocol refusal) becomes exit code 4 with the server's message. */
async function refusedOnProtocolError<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'number') {
      throw new CliError(`the server refused the request: ${(error as Error).message}`, EXIT.refused);
    }
    throw error;
  }
}

function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
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
