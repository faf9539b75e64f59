import type { JSONRPCMessage } from '@modelcontextprotocol/client';

/**
 * The client's view of the polling transport extension's wire (see the README). It repeats
 * the server's header names on purpose: this side is bundled for browsers and must not
 * import server code.
 */

export const TRANSPORT_HEADER = 'mcp-transport';
export const POLLING_TRANSPORT = 'polling';
export const CHANNEL_ID_HEADER = 'mcp-channel-id';
export const CURSOR_HEADER = 'last-event-id';

/** The body of the open answer (201). */
export interface PollingChannelGrant {
  readonly channelId: string;
  /** How long the server holds a poll when it has nothing to send. */
  readonly pollTimeoutMs: number;
  /** A channel with no poll or send for this long is closed by the server. */
  readonly channelIdleTimeoutMs?: number;
  readonly maxMessageBytes?: number;
}

/** One server-to-client message and its position in the channel. */
export interface PollingEvent {
  readonly id: number;
  readonly message: JSONRPCMessage;
}

/** The body of a poll answer (200). */
export interface PollingBatch {
  readonly events: readonly PollingEvent[];
  /** The server ended the channel; these were its last events. */
  readonly closed?: boolean;
}

export function isChannelGrant(value: unknown): value is PollingChannelGrant {
  const grant = value as Partial<PollingChannelGrant> | null;
  return (
    typeof grant === 'object' &&
    grant !== null &&
    typeof grant.channelId === 'string' &&
    grant.channelId !== '' &&
    typeof grant.pollTimeoutMs === 'number'
  );
}

export function isPollingBatch(value: unknown): value is PollingBatch {
  const batch = value as Partial<PollingBatch> | null;
  return (
    typeof batch === 'object' &&
    batch !== null &&
    Array.isArray(batch.events) &&
    batch.events.every(
      (event: Partial<PollingEvent> | null) =>
        typeof event === 'object' &&
        event !== null &&
        Number.isSafeInteger(event.id) &&
        typeof event.message === 'object' &&
        event.message !== null,
    )
  );
}

/** `Retry-After` in ms (delta-seconds or an HTTP date), or undefined. */
export function retryAfterMs(header: string | null): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
