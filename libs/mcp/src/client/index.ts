// The browser-safe client entry (`nest-mcp/client`): no Nest, no node:* modules, no server code.
export { McpFallbackClient } from './mcp-fallback.client.js';
export {
  McpClientTasks,
  TASKS_EXTENSION,
  type McpClientTask,
  type McpClientTaskStatus,
  type McpTaskFollowOptions,
  type McpTaskStart,
} from './mcp-client-tasks.js';
export {
  DEFAULT_PROOF_TIMEOUT_MS,
  DEFAULT_TIMEOUTS,
  type McpFallbackClientOptions,
} from './fallback-client.options.js';
export {
  type McpConnectionEvent,
  McpFallbackError,
  TRANSPORT_NAMES,
  type TransportAttempt,
  type TransportName,
} from './transport-attempt.js';
export {
  MCP_WEBSOCKET_SUBPROTOCOL,
  WebSocketClientTransport,
  type WebSocketClientTransportOptions,
} from './transports/websocket-client.transport.js';
export {
  setWebSocketFallback,
  type WebSocketFactory,
  type WebSocketLike,
} from './transports/websocket-implementation.js';
export { SseStreamWatch } from './transports/sse-stream-watch.js';
export {
  PollingClientTransport,
  type PollingClientTransportOptions,
  type PollingReconnectEvent,
} from './transports/polling-client.transport.js';
