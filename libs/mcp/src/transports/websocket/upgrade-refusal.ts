import type { IncomingMessage } from 'node:http';
import { WIRE_ERRORS, type WireErrorKind } from '../../errors/wire-errors.js';

/** The subprotocol MCP clients ask for (the official SDK's `WebSocketClientTransport` does). */
export const MCP_SUBPROTOCOL = 'mcp';

/**
 * Why an upgrade is answered with a plain HTTP response instead of a socket. Every admission
 * decision is made before the upgrade: a refused client never costs a socket, and it gets
 * the status (and headers, e.g. `Retry-After`) the HTTP route would give it.
 */
export interface UpgradeRefusal {
  readonly status: number;
  readonly message: string;
  /** The `reason` label of the refused-connections metric. */
  readonly reason: string;
  readonly headers?: Record<string, string>;
}

export function refusal(
  kind: WireErrorKind,
  message: string,
  reason: string,
  headers?: Record<string, string>,
): UpgradeRefusal {
  return { status: WIRE_ERRORS[kind].httpStatus, message, reason, headers };
}

/**
 * Subprotocol negotiation. A client that offers subprotocols must offer `mcp` (it is then
 * selected); one that offers none is served as MCP without a `Sec-WebSocket-Protocol`
 * answer, as RFC 6455 requires, so plain tools (wscat, a browser `new WebSocket(url)`) work.
 */
export function checkSubprotocol(req: IncomingMessage): UpgradeRefusal | undefined {
  const header = req.headers['sec-websocket-protocol'];
  if (header === undefined || header.trim() === '') return undefined;
  for (const offered of header.split(',')) {
    if (offered.trim() === MCP_SUBPROTOCOL) return undefined;
  }
  return refusal(
    'invalid-request',
    `Bad Request: this endpoint speaks the "${MCP_SUBPROTOCOL}" subprotocol only`,
    'subprotocol',
  );
}

/**
 * Sessions never mix: a socket is its own session and cannot adopt a Streamable HTTP session,
 * so an upgrade that names one is refused rather than silently given a new session.
 */
export function checkNoHttpSession(req: IncomingMessage): UpgradeRefusal | undefined {
  if (req.headers['mcp-session-id'] === undefined) return undefined;
  return refusal(
    'invalid-request',
    'Bad Request: Mcp-Session-Id belongs to Streamable HTTP; a WebSocket is a session of its own',
    'session-id',
  );
}
