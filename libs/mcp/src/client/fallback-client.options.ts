import type {
  AuthProvider,
  ClientOptions,
  OAuthClientProvider,
  Implementation,
  SubscriptionFilter,
  VersionNegotiationMode,
} from '@modelcontextprotocol/client';
import type { FetchLike } from './transports/sse-stream-watch.js';
import type { WebSocketFactory } from './transports/websocket-implementation.js';
import { type McpConnectionEvent, TRANSPORT_NAMES, type TransportName } from './transport-attempt.js';

/** Options of {@link McpFallbackClient}. Every field is optional. */
export interface McpFallbackClientOptions {
  /** Sent to the server; default `{ name: 'nest-mcp-client', version: '0.1.0' }`. */
  clientInfo?: Implementation;
  /** Transports to try, in order. Default: streamable-http, websocket, polling. One entry forces it. */
  transports?: readonly TransportName[];
  /** SDK version negotiation. Default `'auto'`: 2026-07-28 first, 2025-11-25 fallback. */
  versionNegotiation?: VersionNegotiationMode;
  /** Per-transport budget for connecting (handshake included), ms. */
  timeouts?: Partial<Record<TransportName, number>>;
  /**
   * How long the proof that server-to-client messages get through may take, ms: the
   * `subscriptions/listen` acknowledgement (2026) or the GET event stream's answer (2025).
   * A proxy that buffers event streams fails it. Default 3,000.
   */
  proofTimeoutMs?: number;
  /** Headers on every HTTP request and WebSocket upgrade (not in browsers for WebSocket). */
  headers?: Record<string, string>;
  /**
   * OAuth for protected servers: the SDK's `OAuthClientProvider` (or a token-only
   * `AuthProvider`). Streamable HTTP runs the whole flow through it (discovery from the 401
   * challenge, registration, authorization, token refresh, step-up on 403
   * `insufficient_scope`); WebSocket and polling send its current access token. When the
   * provider has to send the user to the authorization server, `connect()` rejects with the
   * SDK's `UnauthorizedError` and tries no other transport: call `finishAuth()` with the
   * authorization response, then `connect()` again.
   */
  authProvider?: OAuthClientProvider | AuthProvider;
  /**
   * A bearer token (or a function returning the current one) for every transport, for tokens
   * obtained elsewhere. Ignored when `authProvider` is set.
   */
  bearerToken?: string | (() => string | undefined | Promise<string | undefined>);
  /** `fetch` for the HTTP transports; default the global one. */
  fetch?: FetchLike;
  /** Opens sockets; default the runtime's WebSocket. */
  webSocketFactory?: WebSocketFactory;
  /**
   * The 2026-era `subscriptions/listen` filter kept open for notifications. Default: the
   * list-changed notifications the server advertises. `false`: no subscription (and no proof).
   */
  listen?: SubscriptionFilter | false;
  /** Reconnection after an established transport drops. */
  reconnect?: {
    /** Default true. */
    enabled?: boolean;
    /** Tries on the same transport before running the whole fallback again. Default 5. */
    maxAttempts?: number;
    /** First delay when the server sent no `retry`, doubled per try. Default 500 ms. */
    initialDelayMs?: number;
    /** Default 10,000 ms. */
    maxDelayMs?: number;
  };
  /** Polling transport: how long one poll may be held open by the server, ms. */
  pollTimeoutMs?: number;
  /** Passed to the SDK `Client` (capabilities, listChanged handlers, ...). */
  clientOptions?: Omit<ClientOptions, 'versionNegotiation'>;
  /** Called on every connection event (attempts, connected, reconnected, ...). */
  onEvent?: (event: McpConnectionEvent) => void;
}

/** The options with their defaults filled in. */
export interface ResolvedFallbackOptions {
  readonly clientInfo: Implementation;
  readonly transports: readonly TransportName[];
  readonly versionNegotiation: VersionNegotiationMode;
  readonly timeouts: Record<TransportName, number>;
  readonly proofTimeoutMs: number;
  readonly headers: Record<string, string>;
  readonly reconnect: { enabled: boolean; maxAttempts: number; initialDelayMs: number; maxDelayMs: number };
}

/** Budgets chosen so a working path connects at once and a broken one costs seconds, not minutes. */
export const DEFAULT_TIMEOUTS: Record<TransportName, number> = {
  'streamable-http': 10_000,
  websocket: 5_000,
  polling: 10_000,
};
export const DEFAULT_PROOF_TIMEOUT_MS = 3_000;

export function resolveFallbackOptions(options: McpFallbackClientOptions): ResolvedFallbackOptions {
  const transports = options.transports ?? TRANSPORT_NAMES;
  for (const name of transports) {
    if (!TRANSPORT_NAMES.includes(name)) throw new Error(`unknown transport "${name}"`);
  }
  if (transports.length === 0) throw new Error('transports must name at least one transport');
  return {
    clientInfo: options.clientInfo ?? { name: 'nest-mcp-client', version: '0.1.0' },
    transports,
    versionNegotiation: options.versionNegotiation ?? 'auto',
    timeouts: { ...DEFAULT_TIMEOUTS, ...options.timeouts },
    proofTimeoutMs: options.proofTimeoutMs ?? DEFAULT_PROOF_TIMEOUT_MS,
    headers: options.headers ?? {},
    reconnect: {
      enabled: options.reconnect?.enabled ?? true,
      maxAttempts: options.reconnect?.maxAttempts ?? 5,
      initialDelayMs: options.reconnect?.initialDelayMs ?? 500,
      maxDelayMs: options.reconnect?.maxDelayMs ?? 10_000,
    },
  };
}
