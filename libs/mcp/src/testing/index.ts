/**
 * `nest-mcp/testing`: an in-memory MCP client for specs of a Nest app's tools, resources and
 * prompts, through the whole module (schemas, guards, pipes, interceptors, result encoding).
 */
export { McpTestClient } from './mcp-test.client.js';
export type { McpTestClientOptions, McpTestEra } from './mcp-test-client.options.js';
export type { RecordedNotification } from './notification-recorder.js';
export { textOf } from './result-text.js';
