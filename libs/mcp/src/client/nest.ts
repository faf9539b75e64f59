// The Nest entry (`nest-mcp/client/nest`): the Node client plus its injectable wrapper.
// Kept apart from the browser entry, which must not pull in Nest.
export * from './node.js';
export { McpClientModule } from './mcp-client.module.js';
export { MCP_CLIENT_MODULE_OPTIONS, type McpClientModuleOptions } from './mcp-client.module-definition.js';
export { McpFallbackClientService } from './mcp-fallback-client.service.js';
