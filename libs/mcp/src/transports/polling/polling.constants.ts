/**
 * Names of the polling transport extension's wire. The client transport
 * (`client/transports/polling-wire.ts`) repeats them because it must not import server code.
 */

/** Request header that asks for the polling transport on the MCP route. */
export const TRANSPORT_HEADER = 'mcp-transport';
/** Its only value (compared case-insensitively). */
export const POLLING_TRANSPORT = 'polling';
/** Names the channel on sends, polls and close; also set on the open answer. */
export const CHANNEL_ID_HEADER = 'mcp-channel-id';
/** The poll cursor: the last event id the client has; acknowledges everything up to it. */
export const CURSOR_HEADER = 'last-event-id';

/** Seconds a client refused for capacity or shutdown should wait, as on the other transports. */
export const RETRY_AFTER = { 'retry-after': '5' };
/** A channel at its in-flight cap frees up as soon as one answer is out: retry soon. */
export const IN_FLIGHT_RETRY_AFTER = { 'retry-after': '1' };
/** Poll and open answers are per client and per moment: no proxy may cache or reuse them. */
export const NO_STORE = { 'cache-control': 'no-store' };
