import type {
  JSONRPCMessage,
  MessageExtraInfo,
  Transport,
  TransportSendOptions,
} from '@modelcontextprotocol/server';

/**
 * The one transport contract of the library. It is the official SDK's `Transport` shape
 * (start, send, close, onmessage, onclose, onerror), so an SDK transport can be served by
 * our protocol layer and our transports can be driven by an SDK `Server` or `Client`.
 *
 * The protocol layer (`protocol/`) only ever sees this interface; concrete transports live
 * in `transports/<name>/` and are never imported by protocol code.
 */
export type McpTransport = Transport;
export type McpTransportSendOptions = TransportSendOptions;
export type { JSONRPCMessage };

/**
 * What a transport may attach to an inbound message (second argument of `onmessage`).
 * The SDK's fields stay valid; ours add what Nest handlers expect to reach through the context.
 */
export interface McpMessageExtra extends MessageExtraInfo {
  /** The authenticated principal (e.g. `req.user` set by a guard or middleware), if any. */
  principal?: unknown;
  /** The raw request object where one exists (Express request, WebSocket upgrade request). */
  rawRequest?: unknown;
  /** Aborted when the underlying exchange goes away (HTTP client disconnect). */
  signal?: AbortSignal;
}
