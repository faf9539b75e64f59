/**
 * Reflect-metadata keys of the MCP decorators. Written by `decorators/`, read only by the
 * metadata accessor (and, for parameters, by Nest's `ExternalContextCreator`).
 */
export const MCP_TOOL_METADATA = 'nest-mcp:tool';
export const MCP_RESOURCE_METADATA = 'nest-mcp:resource';
export const MCP_PROMPT_METADATA = 'nest-mcp:prompt';
export const MCP_COMPLETION_METADATA = 'nest-mcp:completion';
/** Parameter decorators' metadata, in the `{ 'type:index': { index, data, pipes } }` shape Nest expects. */
export const MCP_PARAM_ARGS_METADATA = 'nest-mcp:param-args';

/** What a parameter decorator injects; the handler's ExecutionContext args are `[args, mcpContext]`. */
export enum McpParamType {
  ARGS = 0,
  CONTEXT = 1,
}
