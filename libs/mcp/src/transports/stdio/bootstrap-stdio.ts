import type { INestApplicationContext, LoggerService, LogLevel, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { McpStdioServer } from './mcp-stdio.server.js';
import { StderrConsoleLogger } from './stderr-console.logger.js';

export interface BootstrapStdioOptions {
  /** The app's logger; it must not write to stdout. Default: `StderrConsoleLogger`. */
  logger?: LoggerService | LogLevel[] | false;
  /**
   * Send `console.log`/`info`/`debug` to stderr as well, so a stray `console.log` in app code
   * cannot corrupt the protocol stream. Default true.
   */
  redirectConsole?: boolean;
  /** Exit the process (code 0) once the app is closed. Default true. */
  exitOnClose?: boolean;
  /** Called with the app context before serving starts (seed data, extra wiring). */
  beforeServe?: (app: INestApplicationContext) => void | Promise<void>;
}

/**
 * Runs `rootModule` as an MCP server over stdin/stdout: an application context (no HTTP
 * listener) whose logs all go to stderr, served until stdin ends or SIGINT/SIGTERM arrives,
 * then closed cleanly and, by default, exited with code 0.
 */
export async function bootstrapStdio(
  rootModule: Type<unknown>,
  options: BootstrapStdioOptions = {},
): Promise<void> {
  if (options.redirectConsole ?? true) redirectConsoleToStderr();
  const app = await NestFactory.createApplicationContext(rootModule, {
    logger: options.logger ?? new StderrConsoleLogger(),
  });
  await options.beforeServe?.(app);
  const server = app.get(McpStdioServer);
  const stop = () => void server.close();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await server.serve();
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await app.close();
  }
  // Lingering timers or sockets in app code must not keep a finished stdio server alive:
  // clients wait for the process to exit after closing its stdin.
  if (options.exitOnClose ?? true) process.exit(0);
}

/* oxlint-disable no-console -- replacing the stdout-bound console methods is the point here */
function redirectConsoleToStderr(): void {
  const toStderr = console.error.bind(console);
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
}
/* oxlint-enable no-console */
