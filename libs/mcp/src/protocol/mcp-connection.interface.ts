import type { RequestId } from '@modelcontextprotocol/server';
import type { McpSessionState } from '../state/session-store.js';
import type { McpProtocolEra } from './mcp-context.js';

/** A 2025-era session several instances serve (see `McpSessionStore`). */
export interface McpSharedSessionOptions {
  /** The session's state from the store: the connection starts as if its handshake had happened here. */
  readonly restore?: McpSessionState;
  /** Called (synchronously, during the request that changed it) with the session's new state. */
  readonly onChange: (state: McpSessionState) => void;
  /**
   * Put before the number of each server-to-client request id (`<prefix><n>`), so that the
   * client's answer, wherever it lands, names the instance waiting for it.
   */
  readonly requestIdPrefix: string;
}

/** How a transport introduces a new connection to the protocol layer. */
export interface McpConnectOptions {
  /** Transport name, for the handler context, logs and metrics. */
  readonly transport: string;
  /**
   * The era when the transport already knows it (Streamable HTTP classifies each request
   * at the edge). Bidirectional transports (stdio, WebSocket) leave it out: the first
   * message decides (`initialize` opens a 2025-era session, a request carrying the
   * 2026-07-28 `_meta` envelope or `server/discover` makes the connection stateless).
   */
  readonly era?: McpProtocolEra;
  /**
   * Whether outbound server-to-client requests (elicitation, sampling, roots in the 2025 era)
   * can reach the client on this connection. Default true.
   */
  readonly canSendRequests?: boolean;
  /** Set when the 2025-era session is shared by several instances. */
  readonly shared?: McpSharedSessionOptions;
}

/** A transport bound to the protocol layer. Returned by `McpProtocolService.connect()`. */
export interface McpConnection {
  /** Undefined until the first message decided it. */
  readonly era: McpProtocolEra | undefined;
  /** The negotiated (2025 era) or last requested (2026 era) protocol version. */
  readonly protocolVersion: string | undefined;
  /** Requests received and not yet answered. */
  readonly inFlight: number;
  /**
   * Called each time a request stops being in flight, answered or not (a cancelled request
   * gets no answer), so a transport that holds requests back at an in-flight cap can go on.
   */
  onRequestSettled: ((id: RequestId) => void) | undefined;
  /**
   * Cancels every in-flight request (their handlers see `signal.aborted`), waits up to
   * `graceMs` for them to answer, then closes the transport.
   */
  shutdown(graceMs: number): Promise<void>;
  /** A shared session's state changed on another instance: the log level and subscriptions follow it. */
  restoreSession(state: McpSessionState): void;
}
