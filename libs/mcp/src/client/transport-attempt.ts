/** The transports the fallback client knows, in the order it tries them by default. */
export const TRANSPORT_NAMES = ['streamable-http', 'websocket', 'polling'] as const;

/** One of the fallback client's transports. */
export type TransportName = (typeof TRANSPORT_NAMES)[number];

/** What happened when the client tried one transport. */
export interface TransportAttempt {
  readonly transport: TransportName;
  readonly ok: boolean;
  /** Why it failed, or how it was proven to work. */
  readonly reason: string;
  /** How long the attempt took, connect and proof together. */
  readonly ms: number;
  /** The protocol revision negotiated, when the attempt got that far. */
  readonly protocolVersion?: string;
  /** The HTTP status the server refused the attempt with (401, 403, ...), when it did. */
  readonly status?: number;
}

/** Connection life-cycle events, for logs and UIs. */
export type McpConnectionEvent =
  | { readonly type: 'attempt'; readonly attempt: TransportAttempt }
  | { readonly type: 'connected'; readonly transport: TransportName; readonly protocolVersion?: string }
  | { readonly type: 'disconnected'; readonly transport: TransportName; readonly reason: string }
  | {
      readonly type: 'reconnected';
      readonly transport: TransportName;
      /** `true` when the stream picked up where it stopped (SSE `Last-Event-ID`), `false` for a new channel. */
      readonly resumed: boolean;
      readonly attempt: number;
      readonly ms: number;
      readonly detail: string;
    }
  | { readonly type: 'reconnect-failed'; readonly transport: TransportName; readonly reason: string }
  | { readonly type: 'closed' };

/** Raised by `connect()` when no transport worked; `attempts` says why each one failed. */
export class McpFallbackError extends Error {
  constructor(readonly attempts: readonly TransportAttempt[]) {
    super(
      `no transport worked: ${attempts.map((attempt) => `${attempt.transport}: ${attempt.reason}`).join('; ')}`,
    );
    this.name = 'McpFallbackError';
  }
}
