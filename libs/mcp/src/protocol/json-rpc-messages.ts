import type {
  JSONRPCErrorResponse,
  JSONRPCMessage,
  JSONRPCNotification,
  JSONRPCRequest,
  JSONRPCResultResponse,
  RequestId,
  Result,
} from '@modelcontextprotocol/server';
import { McpWireError } from '../errors/wire-errors.js';

/**
 * JSON-RPC framing helpers shared by the protocol layer and the transports. Transports that
 * parse text (HTTP bodies, stdio lines, WebSocket frames) use `parseJsonRpc`; the protocol
 * layer classifies whatever value it is handed with `classifyJsonRpc`. Both are hand checks
 * of the envelope only, no schema parse of whole messages.
 */

/** What one inbound value turned out to be. */
export type ClassifiedMessage =
  | { readonly kind: 'request'; readonly message: JSONRPCRequest }
  | { readonly kind: 'notification'; readonly message: JSONRPCNotification }
  | { readonly kind: 'response'; readonly message: JSONRPCResultResponse | JSONRPCErrorResponse }
  | { readonly kind: 'invalid'; readonly id: RequestId | null; readonly error: McpWireError };

/** Outcome of `parseJsonRpc`: the parsed value, or the parse error to answer with (id null). */
export type ParsedJsonRpc =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: McpWireError };

/** Parses one JSON text. The value is not yet checked to be JSON-RPC: `classifyJsonRpc` does that. */
export function parseJsonRpc(text: string): ParsedJsonRpc {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, error: new McpWireError('parse-error', 'Parse error: invalid JSON') };
  }
}

/**
 * A JSON-RPC id MCP accepts: a string or an integer (MCP narrows JSON-RPC 2.0, which also
 * allows fractions). Integers beyond 2^53 - 1 are refused too: JSON.parse has already rounded
 * them (`9007199254740993` reads as `...992`), so they could not be echoed exactly.
 */
export function isRequestId(value: unknown): value is RequestId {
  return typeof value === 'string' || Number.isSafeInteger(value);
}

/** Sorts a parsed value into request / notification / response, or says why it is none. */
export function classifyJsonRpc(value: unknown): ClassifiedMessage {
  if (value === null || typeof value !== 'object') {
    return invalid(null, 'Invalid Request: not a JSON-RPC 2.0 message');
  }
  if (Array.isArray(value)) {
    return invalid(null, 'Invalid Request: JSON-RPC batches are not supported');
  }
  const message = value as Record<string, unknown>;
  const id = message['id'];
  const validId = isRequestId(id);
  if (message['jsonrpc'] !== '2.0') {
    return invalid(validId ? id : null, 'Invalid Request: not a JSON-RPC 2.0 message');
  }
  const method = message['method'];
  if (typeof method === 'string') {
    const params = message['params'];
    if (params !== undefined && (params === null || typeof params !== 'object' || Array.isArray(params))) {
      return invalid(validId ? id : null, 'Invalid Request: params must be an object');
    }
    if (id === undefined) return { kind: 'notification', message: value as JSONRPCNotification };
    if (validId) return { kind: 'request', message: value as JSONRPCRequest };
    return invalid(null, 'Invalid Request: id must be a string or an integer (at most 2^53 - 1)');
  }
  if (validId && ('result' in message || 'error' in message)) {
    return { kind: 'response', message: value as JSONRPCResultResponse | JSONRPCErrorResponse };
  }
  return invalid(validId ? id : null, 'Invalid Request: not a JSON-RPC 2.0 message');
}

/**
 * The request id a `notifications/cancelled` names, when `value` is one (with a valid id):
 * transports that keep per-request state (a 2025 session's POSTs, a socket's held requests)
 * end it themselves before the protocol layer aborts the handler.
 */
export function cancelledRequestId(value: unknown): RequestId | undefined {
  const message = value as { method?: unknown; id?: unknown; params?: { requestId?: unknown } } | null;
  if (message === null || typeof message !== 'object' || message.method !== 'notifications/cancelled') {
    return undefined;
  }
  if (message.id !== undefined) return undefined;
  const requestId = message.params?.requestId;
  return isRequestId(requestId) ? requestId : undefined;
}

/**
 * -32600 for a request whose id is already in flight on its connection or session. Answers,
 * progress and cancellation are keyed by id, so a second request under a live id would take
 * over the first one's routing (MCP basic protocol: ids are unique per session).
 */
export function duplicateRequestId(id: RequestId): McpWireError {
  return new McpWireError(
    'invalid-request',
    `Invalid Request: id ${JSON.stringify(id)} is already used by a request in flight`,
  );
}

function invalid(id: RequestId | null, message: string): ClassifiedMessage {
  return { kind: 'invalid', id, error: new McpWireError('invalid-request', message) };
}

/** The JSON-RPC error response for `error`. `id` is null when the request's id is unknown. */
export function errorResponse(id: RequestId | null, error: McpWireError): JSONRPCMessage {
  return { jsonrpc: '2.0', id, error: error.toJsonRpcError() } as unknown as JSONRPCMessage;
}

export function resultResponse(id: RequestId, result: Result): JSONRPCResultResponse {
  return { jsonrpc: '2.0', id, result };
}
