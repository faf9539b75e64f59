export * from './mcp.module.js';
export * from './mcp.options.js';
export * from './mcp.constants.js';
export * from './decorators/decorator-options.js';
export * from './decorators/mcp-tool.decorator.js';
export * from './decorators/mcp-resource.decorator.js';
export * from './decorators/mcp-prompt.decorator.js';
export * from './decorators/mcp-completion.decorator.js';
export * from './decorators/mcp-args.decorator.js';
export * from './decorators/mcp-ctx.decorator.js';
export * from './pipeline/mcp-execution-context.js';
export type { McpHandlerFunction } from './entries/mcp-handler-function.js';
export { buildToolEntry, type McpToolDefinition } from './entries/tool-entry.builder.js';
export {
  buildResourceEntry,
  buildResourceTemplateEntry,
  type McpResourceDefinition,
  type McpResourceTemplateDefinition,
} from './entries/resource-entry.builder.js';
export { buildPromptEntry, type McpPromptDefinition } from './entries/prompt-entry.builder.js';
export * from './protocol/mcp-context.js';
export * from './registry/registry-entries.js';
export * from './registry/mcp-registry.service.js';
export * from './transports/transport.interface.js';
export * from './protocol/mcp-connection.interface.js';
export * from './protocol/mcp-protocol.service.js';
export * from './protocol/json-rpc-messages.js';
export * from './errors/mcp-tool-error.js';
export * from './errors/client-request-error.js';
export * from './errors/wire-errors.js';
export * from './errors/mcp-cancelled.error.js';
export * from './state/in-memory-event-store.js';
export * from './transports/stdio/mcp-stdio.server.js';
export * from './transports/stdio/stdio.transport.js';
export * from './transports/stdio/stderr-console.logger.js';
export * from './transports/stdio/bootstrap-stdio.js';
export * from './transports/websocket/mcp-ws.adapter.js';
export * from './transports/websocket/mcp-websocket.service.js';
export * from './transports/websocket/websocket-close-codes.js';
export * from './transports/websocket/websocket.transport.js';
export { MCP_SUBPROTOCOL } from './transports/websocket/upgrade-refusal.js';
export * from './observability/mcp-metrics.service.js';
export * from './observability/mcp-health.indicator.js';
export type { TransportMeter } from './observability/transport-meter.js';
export type { McpRequestObserver, McpRequestOutcome } from './protocol/request-observer.js';
export { McpPollingService } from './transports/polling/mcp-polling.service.js';
export * from './state/change-bus.js';
export * from './state/fleet-change-log.js';
export * from './state/fleet-changes.service.js';
export * from './state/shared-state.interface.js';
export * from './state/state-unavailable.error.js';
export * from './state/session-store.js';
export * from './state/instance-router.js';
export * from './state/shared-event-store.js';
export * from './state/channel-store.js';
export { MIN_REQUEST_STATE_KEY_BYTES } from './protocol/request-state.codec.js';
export * from './decorators/mcp-scopes.decorator.js';
export type { McpAuthOptions } from './auth/auth.options.js';
export * from './auth/auth.errors.js';
export * from './auth/mcp-principal.js';
export type { McpTokenVerifier } from './auth/token-verifier.interface.js';
export * from './auth/jwt-token.verifier.js';
export * from './auth/introspection-token.verifier.js';
export { McpAuthAdmission } from './auth/mcp-auth.admission.js';
export {
  metadataUrlOf,
  PROTECTED_RESOURCE_WELL_KNOWN,
  type ProtectedResourceMetadata,
} from './auth/protected-resource-metadata.js';
export * from './tasks/index.js';
