import type { McpContext } from '../protocol/mcp-context.js';

/**
 * A handler as the entry builders take it: called with the validated arguments (for a
 * resource `{ uri, variables }`) and the request's context. Decorated methods arrive here
 * already wrapped in the Nest pipeline; handlers added at runtime are called as they are.
 */
// oxlint-disable-next-line typescript/no-explicit-any -- the handler names its own argument type
export type McpHandlerFunction<TArgs = any> = (args: TArgs, context: McpContext) => unknown;
