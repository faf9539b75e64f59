/**
 * The one place that decides how a failure looks on the wire: the JSON-RPC error code, the
 * HTTP status when the failure ends an HTTP exchange, and the WebSocket close code when it
 * ends a socket. Transports and the protocol layer raise `McpWireError`s by kind and never
 * pick numbers themselves. The README's error table is this table.
 */

/** JSON-RPC 2.0 and MCP error codes. */
export const JsonRpcErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  /** MCP: the requested resource does not exist. */
  ResourceNotFound: -32002,
  /** MCP 2026-07-28: a required client capability is missing. */
  MissingClientCapability: -32003,
  /** MCP: the protocol version the client asked for is not served here. */
  UnsupportedProtocolVersion: -32004,
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
  | 'header-mismatch'
  | 'session-required'
  | 'session-not-found'
  | 'forbidden-origin'
  | 'forbidden-host'
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
  'resource-not-found': { jsonRpcCode: JsonRpcErrorCode.ResourceNotFound, httpStatus: 200 },
  'missing-client-capability': { jsonRpcCode: JsonRpcErrorCode.MissingClientCapability, httpStatus: 200 },
  'unsupported-protocol-version': {
    jsonRpcCode: JsonRpcErrorCode.UnsupportedProtocolVersion,
    httpStatus: 400,
  },
  'header-mismatch': { jsonRpcCode: JsonRpcErrorCode.InvalidRequest, httpStatus: 400 },
  'session-required': { jsonRpcCode: JsonRpcErrorCode.InvalidRequest, httpStatus: 400 },
  'session-not-found': { jsonRpcCode: JsonRpcErrorCode.SessionNotFound, httpStatus: 404 },
  'forbidden-origin': { jsonRpcCode: JsonRpcErrorCode.Forbidden, httpStatus: 403, wsCloseCode: 1008 },
  'forbidden-host': { jsonRpcCode: JsonRpcErrorCode.Forbidden, httpStatus: 403, wsCloseCode: 1008 },
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
 * traces or internal details in it (log those instead).
 */
export class McpWireError extends Error {
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
