import type { AuthProvider, OAuthClientProvider, Transport } from '@modelcontextprotocol/client';
import type { FetchLike } from '../transports/sse-stream-watch.js';
import type { WebSocketFactory } from '../transports/websocket-implementation.js';
import type { TransportName } from '../transport-attempt.js';

/** What every candidate needs to build its transport. */
export interface CandidateContext {
  readonly url: URL;
  readonly headers: Record<string, string>;
  /** Streamable HTTP only (the SDK transport runs OAuth itself); the others get `headers`. */
  readonly authProvider?: OAuthClientProvider | AuthProvider;
  readonly fetch: FetchLike;
  readonly webSocketFactory?: WebSocketFactory;
  readonly pollTimeoutMs?: number;
  /** Reports a reconnection the transport did on its own (SSE `Last-Event-ID`, a new GET stream). */
  readonly onReconnect: (detail: string, resumed: boolean) => void;
  /**
   * What proves the 2025 GET stream: its first event (the server's priming event; default), or
   * its `200 text/event-stream` headers alone, the last resort for servers that do not prime.
   */
  readonly legacyStreamProof?: 'first-event' | 'headers';
}

/** One attempt's transport, plus what the fallback client needs to judge it. */
export interface TransportCandidate {
  readonly name: TransportName;
  readonly transport: Transport;
  /**
   * On a 2025-era connection, proof that server-initiated messages get through (the 2026 era
   * is proven by the `subscriptions/listen` acknowledgement instead). Absent: nothing to prove.
   */
  proveLegacyStream?(): Promise<string>;
  /** Whether the 2025 GET stream answered `200 text/event-stream` and has sent no event yet. */
  legacyStreamUnprimed?(): boolean;
  /** Completes an OAuth authorization this transport started (Streamable HTTP). */
  finishAuth?(callback: URLSearchParams): Promise<void>;
  /** The server's last `retry` hint, if the transport has seen one. */
  retryMs(): number | undefined;
}

/** Builds a fresh candidate of one kind for one attempt. */
export type CandidateFactory = (context: CandidateContext) => TransportCandidate;
