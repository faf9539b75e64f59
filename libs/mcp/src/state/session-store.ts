import type { ClientCapabilities, Implementation, LoggingLevel } from '@modelcontextprotocol/server';

/**
 * What a 2025-era session (`Mcp-Session-Id`) needs to be served by any instance: the
 * handshake's outcome and what the client changed since (log level, resource subscriptions).
 * Requests in flight are not part of it: they live on the instance running them.
 */
export interface McpSessionState {
  /** The revision `initialize` negotiated. */
  readonly protocolVersion: string;
  readonly clientInfo: Implementation;
  readonly clientCapabilities: ClientCapabilities;
  /** Set by `logging/setLevel`; undefined until then (every level is sent). */
  readonly logLevel?: LoggingLevel;
  /** URIs subscribed with `resources/subscribe`. */
  readonly subscriptions: readonly string[];
  /**
   * With `auth` on, the principal key of whoever opened the session (`principalKey` of the
   * module options): every instance refuses requests of anyone else with 404. `null`: the key
   * could not be computed, so nobody may use the session. Absent: anyone with the id may.
   */
  readonly owner?: string | null;
}

/** A session's state as read back, with the revision it was saved under. */
export interface McpStoredSession {
  /** Grows by one with each save: an instance holding this revision need not parse the state again. */
  readonly revision: number;
  /** Left out when the caller already holds `revision`. */
  readonly state?: McpSessionState;
}

/** What an instance reports of a session it served (`McpSessionStore.keepAlive`). */
export interface McpSessionActivity {
  readonly sessionId: string;
  readonly busy: boolean;
  readonly lastActivity: number;
}

/**
 * Where the 2025-era sessions of a fleet live (`redisState()` has one), so that `initialize`
 * on one instance and every later request on another just work. Idle expiry and the
 * session limit are kept here, fleet-wide: a session not touched for `idleTimeoutMs` is
 * gone everywhere, and `reserve` refuses a new one when `maxSessions` are open.
 *
 * Without a store (no `state`, or a state without sessions), each instance keeps its own
 * sessions in memory, as a single instance always did.
 *
 * Methods reject with `McpStateUnavailableError` when the store cannot be reached; the HTTP
 * transport then answers 503 (-32011) and the client may retry.
 */
export interface McpSessionStore {
  /**
   * Takes a slot for a new session. Resolves false when `maxSessions` sessions are open
   * (expired ones do not count). The session exists for `touch` only once `save`d.
   */
  reserve(sessionId: string, limits: { maxSessions: number; idleTimeoutMs: number }): Promise<boolean>;
  /** Records the session's state (after the handshake, and after each change) and refreshes its expiry. */
  save(sessionId: string, state: McpSessionState, idleTimeoutMs: number): Promise<void>;
  /**
   * A request of the session arrived: refreshes its expiry and reads it. Undefined when the
   * session was deleted, expired, or never completed its handshake. `knownRevision` leaves
   * the state out of the answer when unchanged.
   */
  touch(
    sessionId: string,
    idleTimeoutMs: number,
    knownRevision?: number,
  ): Promise<McpStoredSession | undefined>;
  /**
   * Called periodically with the sessions this instance served lately: a `busy` one (a request
   * in flight, a stream open) does not expire while busy; for the others, the session count
   * learns of their `lastActivity` (ms since the epoch), since requests refresh the session only.
   */
  keepAlive(sessions: readonly McpSessionActivity[], idleTimeoutMs: number): Promise<void>;
  /** Ends the session for every instance (`DELETE`). */
  delete(sessionId: string): Promise<void>;
}
