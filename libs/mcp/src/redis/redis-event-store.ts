import type { EventId, JSONRPCMessage, StreamId } from '@modelcontextprotocol/server';
import type { Redis } from 'ioredis';
import type { McpSharedEventStore } from '../state/shared-event-store.js';
import { McpStateUnavailableError } from '../state/state-unavailable.error.js';
import type { RedisChannels } from './redis-channels.js';
import { RedisScript } from './redis-script.js';

/**
 * Appends an event, bounds the stream, renews its expiry and announces the event to the
 * instances following the stream, in one round trip. The announcement goes on a channel named
 * like the stream's key.
 */
const STORE = new RedisScript(`
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'm', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PUBLISH', KEYS[1], id .. '\\n' .. ARGV[2])
return id
`);

const SEPARATOR = '#';
const REPLAY_PAGE = 100;

export interface RedisEventStoreOptions {
  /** Events kept per stream (approximately: Redis trims whole nodes); older ones go first. */
  readonly maxEventsPerStream: number;
  /** A stream nobody wrote to for this long is dropped. */
  readonly ttlMs: number;
}

/**
 * SSE events of 2025-era sessions on Redis Streams, so `Last-Event-ID` resumes on any
 * instance. One stream per SSE stream, keyed `<prefix>{sess:<session>}:ev:<stream>` (the
 * session's hash tag: one Cluster slot per session), bounded with `MAXLEN ~` and expiring
 * `ttlMs` after its last event. Event ids are `<stream id>#<Redis entry id>`. A resumption
 * from an event that was trimmed away fails (`replayEventsAfter` rejects) rather than
 * skipping events silently.
 */
export class RedisEventStore implements McpSharedEventStore {
  constructor(
    private readonly connection: () => Redis | undefined,
    private readonly channels: RedisChannels,
    private readonly prefix: string,
    private readonly options: RedisEventStoreOptions,
  ) {}

  keyOf(streamId: StreamId): string {
    const slash = streamId.indexOf('/');
    return slash <= 0
      ? `${this.prefix}{ev:${streamId}}`
      : `${this.prefix}{sess:${streamId.slice(0, slash)}}:ev:${streamId.slice(slash + 1)}`;
  }

  async storeEvent(streamId: StreamId, message: JSONRPCMessage): Promise<EventId> {
    const redis = this.ready('the SSE event could not be stored');
    try {
      const id = await STORE.run(
        redis,
        [this.keyOf(streamId)],
        [this.options.maxEventsPerStream, JSON.stringify(message), this.options.ttlMs],
      );
      return `${streamId}${SEPARATOR}${String(id)}`;
    } catch (error) {
      throw new McpStateUnavailableError('the SSE event could not be stored', error);
    }
  }

  async getStreamIdForEventId(eventId: EventId): Promise<StreamId | undefined> {
    const parsed = parseEventId(eventId);
    if (parsed === undefined) return undefined;
    const exists = await this.ready('the SSE stream could not be found').exists(this.keyOf(parsed.streamId));
    return exists === 1 ? parsed.streamId : undefined;
  }

  async replayEventsAfter(
    lastEventId: EventId,
    { send }: { send: (eventId: EventId, message: JSONRPCMessage) => Promise<void> },
  ): Promise<StreamId> {
    const parsed = parseEventId(lastEventId);
    if (parsed === undefined) throw new Error(`Unknown event ID: ${lastEventId}`);
    const redis = this.ready('the SSE stream could not be replayed');
    const key = this.keyOf(parsed.streamId);
    const info = await streamInfo(redis, key);
    if (info === undefined) throw new Error(`Unknown event ID: ${lastEventId}`);
    // The client's last event was trimmed away (so may be the ones after it): resuming would
    // skip events. Its own id no longer held is taken as the sign: an error, never a gap.
    const trimmed = info.first !== undefined && compareEntryIds(parsed.entry, info.first) < 0;
    if (trimmed || compareEntryIds(parsed.entry, info.last) > 0) {
      throw new Error(`Event ${lastEventId} is no longer available`);
    }
    let after = parsed.entry;
    for (;;) {
      const page = (await redis.xrange(key, `(${after}`, '+', 'COUNT', REPLAY_PAGE)) as Array<
        [string, string[]]
      >;
      for (const [entry, fields] of page) {
        await send(`${parsed.streamId}${SEPARATOR}${entry}`, JSON.parse(fields[1]!) as JSONRPCMessage);
        after = entry;
      }
      if (page.length < REPLAY_PAGE) return parsed.streamId;
    }
  }

  async follow(
    streamId: StreamId,
    listener: (eventId: EventId, message: JSONRPCMessage) => void,
  ): Promise<() => void> {
    return this.channels.listen(this.keyOf(streamId), (raw) => {
      const newline = raw.indexOf('\n');
      if (newline <= 0) return;
      listener(
        `${streamId}${SEPARATOR}${raw.slice(0, newline)}`,
        JSON.parse(raw.slice(newline + 1)) as JSONRPCMessage,
      );
    });
  }

  private ready(what: string): Redis {
    const redis = this.connection();
    if (redis?.status !== 'ready') {
      throw new McpStateUnavailableError(`Redis is ${redis?.status ?? 'not connected'}; ${what}`);
    }
    return redis;
  }
}

function parseEventId(eventId: string): { streamId: string; entry: string } | undefined {
  const at = eventId.lastIndexOf(SEPARATOR);
  if (at <= 0) return undefined;
  const entry = eventId.slice(at + 1);
  return /^\d+-\d+$/.test(entry) ? { streamId: eventId.slice(0, at), entry } : undefined;
}

/** `XINFO STREAM`: the newest entry id ever added and the oldest one still held. */
async function streamInfo(redis: Redis, key: string): Promise<{ last: string; first?: string } | undefined> {
  let reply: unknown[];
  try {
    reply = (await redis.xinfo('STREAM', key)) as unknown[];
  } catch (error) {
    if (error instanceof Error && error.message.includes('no such key')) return undefined;
    throw error;
  }
  const fields = new Map<string, unknown>();
  for (let index = 0; index + 1 < reply.length; index += 2)
    fields.set(String(reply[index]), reply[index + 1]);
  const first = fields.get('first-entry');
  return {
    last: String(fields.get('last-generated-id') ?? '0-0'),
    ...(Array.isArray(first) && { first: String(first[0]) }),
  };
}

/** Orders Redis stream entry ids (`<ms>-<seq>`). */
function compareEntryIds(a: string, b: string): number {
  const [aMs, aSeq] = a.split('-').map(BigInt) as [bigint, bigint];
  const [bMs, bSeq] = b.split('-').map(BigInt) as [bigint, bigint];
  if (aMs !== bMs) return aMs < bMs ? -1 : 1;
  return aSeq === bSeq ? 0 : aSeq < bSeq ? -1 : 1;
}
