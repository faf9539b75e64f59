import { McpParamType } from './mcp-metadata.constants.js';
import { createMcpParamDecorator } from './mcp-param-decorator.factory.js';

/**
 * Injects the `McpContext` of the request: progress, logging to the client, the abort
 * signal, elicitation and sampling, the principal and the raw request.
 *
 * @example `async run(@McpArgs() args: RunDto, @McpCtx() ctx: McpContext)`
 */
export function McpCtx(): ParameterDecorator {
  return createMcpParamDecorator(McpParamType.CONTEXT);
}
