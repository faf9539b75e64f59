import { McpToolError } from './mcp-tool-error.js';

/**
 * The client answered a server-to-client request (`elicitation/create`, ...) with a
 * JSON-RPC error, or did not answer in time. A tool that does not catch it ends with a
 * tool error result carrying this message.
 */
export class McpClientRequestError extends McpToolError {
  constructor(
    message: string,
    readonly code?: number,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = 'McpClientRequestError';
  }
}
