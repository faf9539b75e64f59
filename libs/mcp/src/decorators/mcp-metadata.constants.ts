import { ROUTE_ARGS_METADATA } from '@nestjs/common/internal';

/**
 * Reflect-metadata keys of the MCP decorators. Written by `decorators/`, read only by the
 * metadata accessor (and, for parameters, by Nest's `ExternalContextCreator`).
 */
export const MCP_TOOL_METADATA = 'nest-mcp:tool';
export const MCP_RESOURCE_METADATA = 'nest-mcp:resource';
export const MCP_PROMPT_METADATA = 'nest-mcp:prompt';
export const MCP_COMPLETION_METADATA = 'nest-mcp:completion';
export const MCP_SCOPES_METADATA = 'nest-mcp:scopes';
/**
 * Parameter decorators' metadata, in the `{ 'type:index': { index, data, pipes } }` shape
 * `ExternalContextCreator` reads. It is Nest's own route-arguments key, as for
 * @nestjs/microservices and @nestjs/graphql: the dependency scanner registers pipe
 * classes found under that key, so `@McpArgs('id', ParseIntPipe)` resolves the pipe from DI.
 */
export const MCP_PARAM_ARGS_METADATA = ROUTE_ARGS_METADATA;

/**
 * What a parameter decorator injects; the handler's ExecutionContext args are
 * `[args, mcpContext]`. The numbers are Nest's `RouteParamtypes.BODY` and `.HEADERS`, as in
 * @nestjs/microservices: pipes see the arguments as `type: 'body'`, so a global
 * `ValidationPipe` validates and transforms a DTO parameter, and the context as `'custom'`.
 */
export enum McpParamType {
  ARGS = 3,
  CONTEXT = 6,
}
