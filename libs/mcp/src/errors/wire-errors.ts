import { ProtocolErrorCode } from '@modelcontextprotocol/server';
import { IntrinsicException } from '@nestjs/common';

/**
 * The one place that decides how a failure looks on the wire: the JSON-RPC error code, the
 * HTTP status when the failure ends an HTTP exchange, and the WebSocket close code when it
 * ends a socket. Transports and the protocol layer raise `McpWireError`s by kind and never
 * pick numbers themselves. The README's error table is this table.
 */

/**
 * JSON-RPC 2.0 and MCP error codes. The standard and MCP values come from the SDK's
 * `ProtocolErrorCode` so they cannot drift from what SDK clients recognise.
 */
export const JsonRpcErrorCode = {
  ParseError: ProtocolErrorCode.ParseError,
  InvalidRequest: ProtocolErrorCode.InvalidRequest,
  MethodNotFound: ProtocolErrorCode.MethodNotFound,
  InvalidParams: ProtocolErrorCode.InvalidParams,
  InternalError: ProtocolErrorCode.InternalError,
  /**
   * MCP before 2026-07-28: the requested resource does not exist. Receive-only: the spec
   * (2026-07-28 MUST) and the SDK answer `resources/read` misses with -32602 and
   * `data: { uri }` on every revision, so `resource-not-found` maps to InvalidParams.
   */
  ResourceNotFound: ProtocolErrorCode.ResourceNotFound,
  /** MCP 2026-07-28: a required client capability is missing (-32021). */
  MissingClientCapability: ProtocolErrorCode.MissingRequiredClientCapability,
  /** MCP 2026-07-28: the protocol version the request names is not served here (-32022). */
  UnsupportedProtocolVersion: ProtocolErrorCode.UnsupportedProtocolVersion,
  /** MCP 2026-07-28: an `MCP-Protocol-Version` / `Mcp-Method` / `Mcp-Name` / `Mcp-Param-*` header disagrees with the body (-32020). */
  HeaderMismatch: -32020,
  /** Server-defined: the session named by `Mcp-Session-Id` does not exist. */
  SessionNotFound: -32001,
  /** Server-defined: the request was refused by policy (Origin, Host, guard at transport level). */
  Forbidden: -32010,
  /** Server-defined: the instance is at capacity; try later. */
  Unavailable: -32011,
  /** Server-defined: the request body or frame exceeds the configured limit. */
  PayloadTooLarge: -32012,
} as const;

export type WireErrorKind =
  | 'parse-error'
  | 'invalid-request'
  | 'method-not-found'
  | 'invalid-params'
  | 'internal-error'
  | 'resource-not-found'
  | 'missing-client-capability'
  | 'unsupported-protocol-version'
  | 'invalid-request-state'
  | 'subscription-limit'
  | 'header-mismatch'
  | 'invalid-envelope'
  | 'stream-conflict'
  | 'session-required'
  | 'session-not-found'
  | 'channel-required'
  | 'channel-not-found'
  | 'forbidden-origin'
  | 'forbidden-host'
  | 'forbidden'
  | 'unauthorized'
  | 'insufficient-scope'
  | 'slow-consumer'
  | 'unsupported-media-type'
  | 'not-acceptable'
  | 'payload-too-large'
  | 'method-not-allowed'
  | 'at-capacity';

export interface WireMapping {
  readonly jsonRpcCode: number;
  /** Status when the failure ends an HTTP exchange before any stream was opened. */
  readonly httpStatus: number;
  /** Close code when the failure must end a WebSocket; `undefined`: the socket stays open. */
  readonly wsCloseCode?: number;
}

export const WIRE_ERRORS: Readonly<Record<WireErrorKind, WireMapping>> = {
  'parse-error': { jsonRpcCode: JsonRpcErrorCode.ParseError, httpStatus: 400 },
  'invalid-request': { jsonRpcCode: JsonRpcErrorCode.InvalidRequest, httpStatus: 400 },
  'method-not-found': { jsonRpcCode: JsonRpcErrorCode.MethodNotFound, httpStatus: 200 },
  'invalid-params': { jsonRpcCode: JsonRpcErrorCode.InvalidParams, httpStatus: 200 },
  'internal-error': { jsonRpcCode: JsonRpcErrorCode.InternalError, httpStatus: 500, wsCloseCode: 1011 },
  'resource-not-found': { jsonRpcCode: JsonRpcErrorCode.InvalidParams, httpStatus: 200 },
  'missing-client-capability': { jsonRpcCode: JsonRpcErrorCode.MissingClientCapability, httpStatus: 400 },
  'unsupported-protocol-version': {
    jsonRpcCode: JsonRpcErrorCode.UnsupportedProtocolVersion,
    httpStatus: 400,
  },
  'invalid-request-state': { jsonRpcCode: JsonRpcErrorCode.InvalidParams, httpStatus: 200 },
  'subscription-limit': { jsonRpcCode: JsonRpcErrorCode.InternalError, httpStatus: 200 },
  'header-mismatch': { jsonRpcCode: JsonRpcErrorCode.HeaderMismatch, httpStatus: 400 },
  /** A 2026-era `_meta` envelope found malformed at the HTTP edge (before dispatch): 400, as the SDK. */
  'invalid-envelope': { jsonRpcCode: JsonRpcErrorCode.InvalidParams, httpStatus: 400 },
  /** A second GET stream for a session, or a resumption of a stream that is already attached. */
  'stream-conflict': { jsonRpcCode: JsonRpcErrorCode.InvalidRequest, httpStatus: 409 },
  'session-required': { jsonRpcCode: JsonRpcErrorCode.InvalidRequest, httpStatus: 400 },
  'session-not-found': { jsonRpcCode: JsonRpcErrorCode.SessionNotFound, httpStatus: 404 },
  /** Polling extension: a poll, send or close without `Mcp-Channel-Id`. */
  'channel-required': { jsonRpcCode: JsonRpcErrorCode.InvalidRequest, httpStatus: 400 },
  /** Polling extension: the channel is unknown or was closed (as a lost session: open a new one). */
  'channel-not-found': { jsonRpcCode: JsonRpcErrorCode.SessionNotFound, httpStatus: 404 },
  'forbidden-origin': { jsonRpcCode: JsonRpcErrorCode.Forbidden, httpStatus: 403, wsCloseCode: 1008 },
  'forbidden-host': { jsonRpcCode: JsonRpcErrorCode.Forbidden, httpStatus: 403, wsCloseCode: 1008 },
  /**
   * A guard of the MCP route said no (HTTP request or WebSocket upgrade), or, in band (200,
   * the socket stays open), a 401/403 from the pipeline around a prompt or resource handler.
   */
  forbidden: { jsonRpcCode: JsonRpcErrorCode.Forbidden, httpStatus: 403, wsCloseCode: 1008 },
  /**
   * No, or no valid, bearer token (`auth` on): 401 with a `WWW-Authenticate` challenge. An open
   * WebSocket whose token expires is closed with 4401 (RFC 6455 private range, read "401"): the
   * client reconnects with a fresh token, which a 1008 would not tell it.
   */
  unauthorized: { jsonRpcCode: JsonRpcErrorCode.Forbidden, httpStatus: 401, wsCloseCode: 4401 },
  /**
   * The token lacks the scopes of the tool, resource or prompt: 403 with an `insufficient_scope`
   * challenge on HTTP; in band (200, the socket stays open) with `data.error: "insufficient_scope"`
   * and `data.scope` where no challenge is possible.
   */
  'insufficient-scope': { jsonRpcCode: JsonRpcErrorCode.Forbidden, httpStatus: 403 },
  /** A WebSocket peer that stopped reading: its queued outgoing bytes passed the cap. */
  'slow-consumer': { jsonRpcCode: JsonRpcErrorCode.Unavailable, httpStatus: 503, wsCloseCode: 1008 },
  'unsupported-media-type': {
    jsonRpcCode: JsonRpcErrorCode.InvalidRequest,
    httpStatus: 415,
    wsCloseCode: 1003,
  },
  'not-acceptable': { jsonRpcCode: JsonRpcErrorCode.InvalidRequest, httpStatus: 406 },
  'payload-too-large': { jsonRpcCode: JsonRpcErrorCode.PayloadTooLarge, httpStatus: 413, wsCloseCode: 1009 },
  'method-not-allowed': { jsonRpcCode: JsonRpcErrorCode.InvalidRequest, httpStatus: 405 },
  'at-capacity': { jsonRpcCode: JsonRpcErrorCode.Unavailable, httpStatus: 503, wsCloseCode: 1013 },
};

/**
 * A failure the client should see as such. `message` is safe to send; never put stack
 * traces or internal details in it (log those instead). An expected outcome, not a crash:
 * an `IntrinsicException`, so Nest's exception layer does not log one that a handler, or a
 * context call inside it (a missing client capability), throws.
 */
export class McpWireError extends IntrinsicException {
  readonly mapping: WireMapping;

  constructor(
    readonly kind: WireErrorKind,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = 'McpWireError';
    this.mapping = WIRE_ERRORS[kind];
  }

  /** The JSON-RPC error object for the wire. */
  toJsonRpcError(): { code: number; message: string; data?: unknown } {
    return this.data === undefined
      ? { code: this.mapping.jsonRpcCode, message: this.message }
      : { code: this.mapping.jsonRpcCode, message: this.message, data: this.data };
  }
}

/**
 * The wire kind of a JSON-RPC error code, for errors that arrive as numbers (an SDK
 * `ProtocolError` thrown by a handler). Unknown codes are internal errors.
 */
export function wireKindOfCode(code: number): WireErrorKind {
  switch (code) {
    case JsonRpcErrorCode.ParseError:
      return 'parse-error';
    case JsonRpcErrorCode.InvalidRequest:
      return 'invalid-request';
    case JsonRpcErrorCode.MethodNotFound:
      return 'method-not-found';
    case JsonRpcErrorCode.InvalidParams:
      return 'invalid-params';
    case JsonRpcErrorCode.ResourceNotFound:
      return 'resource-not-found';
    case JsonRpcErrorCode.MissingClientCapability:
      return 'missing-client-capability';
    case JsonRpcErrorCode.UnsupportedProtocolVersion:
      return 'unsupported-protocol-version';
    default:
      return 'internal-error';
  }
}

/**
 * The HTTP status of a JSON answer carrying a JSON-RPC error that the protocol layer produced
 * while serving a request. Such errors travel in band on 200, except in the 2026-07-28 era: a
 * missing client capability, which that revision pins to 400, and an unknown or removed method
 * (`initialize`, `ping`, ...), 404 as the SDK and the conformance suite expect. 2025 sessions
 * keep both in band: their clients (the SDK v1 among them) take any non-2xx answer to a POST
 * for a failed transport, not for the request's error.
 */
export function httpStatusOfErrorAnswer(code: unknown, era: 'modern' | 'legacy'): number {
  if (era === 'legacy') return 200;
  if (code === JsonRpcErrorCode.MissingClientCapability) return 400;
  if (code === JsonRpcErrorCode.MethodNotFound) return 404;
  return 200;
}
