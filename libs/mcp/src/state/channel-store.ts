import type { McpSessionState } from './session-store.js';

/** A polling channel as every instance needs it (see `McpChannelStore`). */
export interface McpChannelRecord {
  /** The key of the principal that opened it (`polling.principalKey`); null: anonymous. */
  readonly principal: string | null;
  readonly pollTimeoutMs: number;
  /** The instance that opened it: the one that sends it unsolicited events (list-changed, ...). */
  readonly opener: string;
  /** A 2025-era handshake on the channel, once done. */
  readonly session?: McpSessionState;
}

/** A channel as read back, with the revision its session state was saved under. */
export interface McpStoredChannel {
  readonly revision: number;
  readonly principal: string | null;
  readonly pollTimeoutMs: number;
  readonly opener: string;
  /** Left out when unchanged since the caller's revision. */
  readonly session?: McpSessionState;
}

/** One poll answer read from the queue. */
export interface McpChannelBatch {
  /** `[{"id":1,"message":{...}},...]` */
  readonly json: string;
  readonly count: number;
}

/**
 * The polling channels of a fleet (`redisState()` has one): a channel opened on one instance
 * takes sends on another and polls on a third. Each channel's outgoing queue lives here,
 * numbered and kept until acknowledged, so a poll on any instance (and after any instance
 * died) continues from the client's cursor. The channel limit, idle expiry, queue bound and
 * in-flight cap hold fleet-wide. Methods reject with `McpStateUnavailableError` when the
 * store cannot be reached.
 */
export interface McpChannelStore {
  /** Records a new channel; false when `maxChannels` are open. */
  open(
    channelId: string,
    record: McpChannelRecord,
    limits: { readonly maxChannels: number; readonly idleTimeoutMs: number },
  ): Promise<boolean>;
  /** Refreshes the channel's expiry and reads it; undefined when gone. */
  touch(
    channelId: string,
    idleTimeoutMs: number,
    knownRevision?: number,
  ): Promise<McpStoredChannel | undefined>;
  /** Saves the channel's 2025-era session state. */
  saveSession(channelId: string, session: McpSessionState, idleTimeoutMs: number): Promise<void>;
  /**
   * Appends a message (its JSON text) to the queue. Resolves with its event id, `'gone'` when
   * the channel no longer exists, or `'overflow'` when the unacknowledged bytes passed
   * `maxQueuedBytes` (the message is queued; the caller ends the channel).
   */
  push(channelId: string, messageJson: string, maxQueuedBytes: number): Promise<number | 'gone' | 'overflow'>;
  /**
   * Acknowledges every event up to `cursor` and reads the oldest unacknowledged ones within
   * the limits. `'gone'`: no such channel; `'unknown-cursor'`: `cursor` names no event issued.
   */
  poll(
    channelId: string,
    cursor: number,
    limits: { readonly maxEvents: number; readonly maxBytes: number },
    idleTimeoutMs: number,
  ): Promise<McpChannelBatch | 'gone' | 'unknown-cursor'>;
  /** Calls `listener` whenever a message is queued on the channel. Resolves once listening. */
  watch(channelId: string, listener: () => void): Promise<() => void>;
  /**
   * Counts request `requestKey` as in flight on instance `instanceId`. False when the channel
   * already has `maxInFlight` requests in flight (on all instances).
   */
  admit(channelId: string, instanceId: string, requestKey: string, maxInFlight: number): Promise<boolean>;
  /** The request is no longer in flight; false when it was not counted (any more). */
  settle(channelId: string, instanceId: string, requestKey: string): Promise<boolean>;
  /** The requests in flight, by instance (to find those of an instance that died). */
  inFlight(channelId: string): Promise<Map<string, string[]>>;
  /** Refreshes the expiry of channels whose client is there (a poll parked on this instance). */
  keepAlive(channelIds: readonly string[], idleTimeoutMs: number): Promise<void>;
  /** Which of these channels still exist (without refreshing them). */
  existing(channelIds: readonly string[]): Promise<Set<string>>;
  delete(channelId: string): Promise<void>;
}
