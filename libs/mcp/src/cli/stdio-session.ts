import type { Readable } from 'node:stream';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { reasonOf, withTimeout } from '../client/with-timeout.js';
import { acceptTaskHandles } from '../client/task-handle.adapter.js';
import { CliError, EXIT } from './cli-errors.js';
import { type CliEra, versionNegotiationOf } from './cli-arguments.js';
import type { CliSession } from './cli-session.js';

export interface StdioSessionOptions {
  readonly clientInfo: { name: string; version: string };
  /** Budget for the server to start and complete the handshake, in ms. */
  readonly timeoutMs: number;
  /** `'2025'`: 2025-11-25 only; `'2026'`: 2026-07-28 only; `undefined`: probe 2026 then fall back. */
  readonly era: CliEra | undefined;
  /** Forward the server's stderr as it comes; otherwise it is shown only when starting fails. */
  readonly verbose: boolean;
}

/** How much of the server's stderr a failure message quotes: the end, where the error is. */
const STDERR_TAIL_BYTES = 4_096;

/**
 * Starts `command` through the platform shell, as a user typed it, and connects the SDK client
 * to it over stdin/stdout (newline-delimited JSON-RPC). The command gets this process's whole
 * environment: the CLI is run by the user who would run the server, unlike a desktop MCP host.
 * Version negotiation is the SDK's (2026-07-28 first, probed on a short-lived sibling process;
 * `era` pins one).
 *
 * @throws CliError with exit code 3 (unreachable) when the server exits, or does not answer the
 * handshake within `timeoutMs`, quoting the end of its stderr.
 */
export async function connectStdio(command: string, options: StdioSessionOptions): Promise<CliSession> {
  const transport = new StdioClientTransport({
    ...shellInvocation(command),
    env: Object.fromEntries(
      Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
    ),
    stderr: 'pipe',
  });
  const stderr = stderrTail(transport.stderr as Readable, options.verbose);
  const client = new Client(options.clientInfo, {
    versionNegotiation: { mode: versionNegotiationOf(options.era) },
  });
  try {
    await withTimeout(
      client.connect(acceptTaskHandles(transport), { timeout: options.timeoutMs }),
      options.timeoutMs,
      `no MCP handshake within ${options.timeoutMs} ms`,
    );
  } catch (error) {
    await client.close().catch(() => undefined);
    const output = stderr.text().trim();
    throw new CliError(
      `cannot reach the stdio server "${command}": ${reasonOf(error)}` +
        (output === '' ? '' : `\nits stderr ends with:\n${output}`),
      EXIT.unreachable,
    );
  }
  return { transportName: 'stdio', client, close: () => client.close() };
}

function shellInvocation(command: string): { command: string; args: string[] } {
  return process.platform === 'win32'
    ? { command: process.env['ComSpec'] ?? 'cmd.exe', args: ['/d', '/s', '/c', command] }
    : { command: '/bin/sh', args: ['-c', command] };
}

/** Keeps the last bytes of the server's stderr (and forwards them live when `verbose`). */
function stderrTail(stream: Readable, verbose: boolean): { text(): string } {
  let tail = Buffer.alloc(0);
  stream.on('data', (chunk: Buffer) => {
    if (verbose) process.stderr.write(chunk);
    tail = Buffer.concat([tail, chunk]);
    if (tail.length > STDERR_TAIL_BYTES) tail = tail.subarray(tail.length - STDERR_TAIL_BYTES);
  });
  return { text: () => tail.toString('utf8') };
}
