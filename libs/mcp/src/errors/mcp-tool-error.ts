import { IntrinsicException } from '@nestjs/common';

/**
 * Throw from a tool handler to end the call with a tool error result
 * (`isError: true`) whose text is this error's message. Use it for failures the model
 * should read and act on ("the city was not found"); the message goes to the client as is,
 * so keep internal details out of it. Any other unexpected error becomes a generic
 * "Internal error" result and its stack stays in the server log.
 *
 * It is an `IntrinsicException`, like Nest's `HttpException`s, so Nest's exception layer
 * (which MCP handlers run through) does not log it as an error: it is an expected outcome.
 */
export class McpToolError extends IntrinsicException {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'McpToolError';
  }
}
