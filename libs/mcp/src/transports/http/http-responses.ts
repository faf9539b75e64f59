import type { ServerResponse } from 'node:http';
import type { RequestId } from '@modelcontextprotocol/server';
import { McpWireError, type WireErrorKind } from '../../errors/wire-errors.js';

/**
 * Writers for complete (non-streamed) answers, on Node's `ServerResponse` directly: the
 * status and headers are known, so Express's `res.json` machinery is not needed.
 */

export const SESSION_ID_HEADER = 'mcp-session-id';

export function writeJson(
  res: ServerResponse,
  status: number,
  body: string,
  sessionId?: string,
  extraHeaders?: Record<string, string>,
): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    ...extraHeaders,
  };
  if (sessionId !== undefined) headers[SESSION_ID_HEADER] = sessionId;
  res.writeHead(status, headers);
  res.end(body);
}

/** A JSON-RPC error ending the exchange, with the HTTP status of its kind. */
export function writeWireError(
  res: ServerResponse,
  error: McpWireError,
  id: RequestId | null = null,
  extraHeaders?: Record<string, string>,
): void {
  const body = JSON.stringify({ jsonrpc: '2.0', id, error: error.toJsonRpcError() });
  writeJson(res, error.mapping.httpStatus, body, undefined, extraHeaders);
}

export function writeError(
  res: ServerResponse,
  kind: WireErrorKind,
  message: string,
  id: RequestId | null = null,
  data?: unknown,
  extraHeaders?: Record<string, string>,
): void {
  writeWireError(res, new McpWireError(kind, message, data), id, extraHeaders);
}

/**
 * An authorization refusal (`auth` on): its status, its `WWW-Authenticate` (or `Retry-After`)
 * headers, and a JSON-RPC error body for clients that read one.
 */
export function writeRefusal(
  res: ServerResponse,
  refusal: {
    readonly kind: WireErrorKind;
    readonly message: string;
    readonly headers: Record<string, string>;
  },
  id: RequestId | null = null,
): void {
  writeError(res, refusal.kind, refusal.message, id, undefined, refusal.headers);
}

/** 202 Accepted: a notification or response was taken in; nothing to answer. */
export function writeAccepted(res: ServerResponse): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(202, { 'content-length': 0 });
  res.end();
}

/**
 * Answers a POST whose body cannot be served: too large (413, before parsing), empty or not
 * JSON (400 + -32700); a client that went away mid-body gets nothing.
 */
export function answerUnreadableBody(
  res: ServerResponse,
  body:
    | { readonly kind: 'too-large' }
    | { readonly kind: 'aborted' }
    | { readonly kind: 'empty' }
    | { readonly kind: 'invalid'; readonly error: McpWireError },
  limit: number,
): void {
  if (body.kind === 'too-large') {
    writeError(res, 'payload-too-large', `Payload Too Large: the body exceeds ${limit} bytes`);
  } else if (body.kind === 'empty') {
    writeError(res, 'parse-error', 'Parse error: the body is empty (expected one JSON-RPC message)');
  } else if (body.kind === 'invalid') {
    writeWireError(res, body.error);
  }
}
