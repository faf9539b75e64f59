import { ProtocolError } from '@modelcontextprotocol/server';
import { HttpException, HttpStatus, type Logger } from '@nestjs/common';
import { McpToolError } from './mcp-tool-error.js';
import { wasLoggedByNest } from './nest-logged-errors.js';
import { McpWireError, type WireErrorKind, wireKindOfCode } from './wire-errors.js';

/**
 * How a thrown value becomes something the client may see. Messages chosen by authors
 * (`McpWireError`, `McpToolError`, Nest `HttpException`s, SDK `ProtocolError`s) are passed
 * on; anything else is an unexpected failure whose details stay in the server log.
 *
 * A Nest `HttpException` (thrown by a handler, or by a pipe, guard or interceptor around it)
 * carries its messages in its response body, as Nest would send it: `ValidationPipe` puts
 * one message per failed constraint in `message: string[]`. Those messages are what the
 * model or the client reads, never the exception's class name.
 */

/** The JSON-RPC error for a failure of a request that is not a tool call. */
export function toWireError(error: unknown, logger: Logger, context: string): McpWireError {
  if (error instanceof McpWireError) return error;
  if (error instanceof HttpException) return wireErrorOfHttpException(error);
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
 * executing a known tool, refusals included, as a tool result the model can read. A 400 or
 * 422 (a pipe's validation) reads like the tool's own argument check.
 */
export function toolErrorText(error: unknown, logger: Logger, toolName: string): string {
  if (error instanceof HttpException) {
    const message = httpExceptionMessage(error);
    return isInvalidInput(error) ? `Invalid arguments for tool ${toolName}: ${message}` : message;
  }
  if (error instanceof McpToolError) return error.message;
  if (codeOf(error) !== undefined) return (error as Error).message;
  logUnexpected(error, logger, `Tool ${toolName} failed`);
  return 'Internal error';
}

/**
 * The message of an `HttpException` as Nest would send it: the response's `message`, its
 * items joined with `; ` when it is a list (`ValidationPipe`), or the response itself when
 * it is a string.
 */
export function httpExceptionMessage(error: HttpException): string {
  const response = error.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message) && message.length > 0 && message.every((item) => typeof item === 'string'))
    return message.join('; ');
  return error.message;
}

/**
 * The JSON-RPC error for an `HttpException` from a prompt or resource handler or the
 * pipeline around it. Bad input (400, 422) and a missing thing (404) are -32602, as the
 * spec directs for invalid params, the former reading `Invalid arguments for <subject>: ...`
 * when `subject` (`prompt greet`) is given; a refusal (401, 403) is -32010 and "try later"
 * (429, 503) -32011, the server-defined codes of the wire table; any other status -32603.
 * The message is the exception's own in every case.
 */
export function wireErrorOfHttpException(error: HttpException, subject?: string): McpWireError {
  const message = httpExceptionMessage(error);
  if (isInvalidInput(error)) {
    return new McpWireError(
      'invalid-params',
      subject === undefined ? message : `Invalid arguments for ${subject}: ${message}`,
    );
  }
  return new McpWireError(HTTP_STATUS_KINDS.get(error.getStatus()) ?? 'internal-error', message);
}

const HTTP_STATUS_KINDS: ReadonlyMap<number, WireErrorKind> = new Map([
  [HttpStatus.NOT_FOUND, 'invalid-params'],
  [HttpStatus.UNAUTHORIZED, 'forbidden'],
  [HttpStatus.FORBIDDEN, 'forbidden'],
  [HttpStatus.TOO_MANY_REQUESTS, 'at-capacity'],
  [HttpStatus.SERVICE_UNAVAILABLE, 'at-capacity'],
]);

function isInvalidInput(error: HttpException): boolean {
  const status = error.getStatus();
  return status === HttpStatus.BAD_REQUEST || status === HttpStatus.UNPROCESSABLE_ENTITY;
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
