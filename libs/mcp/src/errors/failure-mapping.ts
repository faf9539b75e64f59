import { ProtocolError } from '@modelcontextprotocol/server';
import { HttpException, type Logger } from '@nestjs/common';
import { McpToolError } from './mcp-tool-error.js';
import { wasLoggedByNest } from './nest-logged-errors.js';
import { McpWireError, wireKindOfCode } from './wire-errors.js';

/**
 * How a thrown value becomes something the client may see. Messages chosen by authors
 * (`McpWireError`, `McpToolError`, Nest `HttpException`s, SDK `ProtocolError`s) are passed
 * on; anything else is an unexpected failure whose details stay in the server log.
 */

/** The JSON-RPC error for a failure of a request that is not a tool call. */
export function toWireError(error: unknown, logger: Logger, context: string): McpWireError {
  if (error instanceof McpWireError) return error;
  if (error instanceof HttpException) {
    // The request named something invalid or absent (a prompt argument naming no note is
    // -32602, as the spec has it for prompts/get; a resource miss is -32602 too).
    const status = error.getStatus();
    return new McpWireError(
      status === 400 || status === 404 || status === 422 ? 'invalid-params' : 'internal-error',
      error.message,
    );
  }
  const code = codeOf(error);
  if (code !== undefined) {
    return new McpWireError(
      wireKindOfCode(code),
      (error as Error).message,
      (error as { data?: unknown }).data,
    );
  }
  logUnexpected(error, logger, `${context} failed`);
  return new McpWireError('internal-error', 'Internal error');
}

/**
 * The text of the tool error result (`isError: true`) for a failed tool call. Guards'
 * `ForbiddenException`s land here too: the spec reserves JSON-RPC errors for protocol
 * failures (unknown tool, malformed request) and reports everything that happens while
 * executing a known tool, refusals included, as a tool result the model can read.
 */
export function toolErrorText(error: unknown, logger: Logger, toolName: string): string {
  if (error instanceof McpToolError || error instanceof HttpException) return error.message;
  if (codeOf(error) !== undefined) return (error as Error).message;
  logUnexpected(error, logger, `Tool ${toolName} failed`);
  return 'Internal error';
}

/** Its stack stays in the server log, once: Nest may have logged it already. */
function logUnexpected(error: unknown, logger: Logger, what: string): void {
  if (wasLoggedByNest(error)) return;
  logger.error(what, error instanceof Error ? error.stack : String(error));
}

/** The JSON-RPC code of an SDK `ProtocolError` (brand-checked across SDK bundles), if any. */
function codeOf(error: unknown): number | undefined {
  return error instanceof ProtocolError && Number.isSafeInteger(error.code) ? error.code : undefined;
}
