import type { Redis } from 'ioredis';
import type {
  McpChannelBatch,
  McpChannelRecord,
  McpChannelStore,
  McpStoredChannel,
} from '../state/channel-store.js';
import type { McpSessionState } from '../state/session-store.js';
import { McpStateUnavailableError } from '../state/state-unavailable.error.js';
import type { RedisChannels } from './redis-channels.js';
import { RedisScript } from './redis-script.js';

/** Takes a slot in the channel index, forgetting expired channels first. */
const OPEN = new RedisScript(`
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[4])
return 1
`);

/** KEYS: channel hash, queue, in-flight hash. */
const TOUCH = new RedisScript(`
if redis.call('PEXPIRE', KEYS[1], ARGV[1]) == 0 then return false end
redis.call('PEXPIRE', KEYS[2], ARGV[1])
redis.call('PEXPIRE', KEYS[3], ARGV[1])
local fields = redis.call('HMGET', KEYS[1], 'n', 'p', 't', 'o')
if fields[1] == ARGV[2] then return fields end
return {fields[1], fields[2], fields[3], fields[4], redis.call('HGET', KEYS[1], 'd')}
`);

const SAVE_SESSION = new RedisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'd', ARGV[1])
redis.call('HINCRBY', KEYS[1], 'n', 1)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`);

/**
 * Numbers the event, queues it, counts its bytes and wakes the polls waiting on any instance
 * (a message on the channel named like the queue). -1: the channel is gone; -2: over the bound.
 */
const PUSH = new RedisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local id = redis.call('HINCRBY', KEYS[1], 's', 1)
local event = '{"id":' .. id .. ',"message":' .. ARGV[1] .. '}'
redis.call('ZADD', KEYS[2], id, event)
local bytes = redis.call('HINCRBY', KEYS[1], 'b', string.len(event))
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then redis.call('PEXPIRE', KEYS[2], ttl) end
redis.call('PUBLISH', KEYS[2], id)
if bytes > tonumber(ARGV[2]) and redis.call('ZCARD', KEYS[2]) > 1 then return -2 end
return id
`);

/**
 * Acknowledges up to the cursor, then reads a batch: at least one event, at most ARGV[2]
 * events and, past the first, ARGV[3] bytes. false: gone; -1: a cursor never issued.
 */
const POLL = new RedisScript(`
local issued = redis.call('HGET', KEYS[1], 's')
if not issued then return false end
local cursor = tonumber(ARGV[1])
if cursor > tonumber(issued) then return -1 end
local acked = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', cursor)
if #acked > 0 then
  local bytes = 0
  for _, event in ipairs(acked) do bytes = bytes + string.len(event) end
  redis.call('HINCRBY', KEYS[1], 'b', -bytes)
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', cursor)
end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
local events = redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. cursor, '+inf', 'LIMIT', 0, ARGV[2])
local batch = {}
local bytes = 0
for _, event in ipairs(events) do
  if #batch > 0 and bytes + string.len(event) > tonumber(ARGV[3]) then break end
  batch[#batch + 1] = event
  bytes = bytes + string.len(event)
end
return batch
`);

/** KEYS: channel hash, in-flight hash. */
const ADMIT = new RedisScript(`
if redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], 1)
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then redis.call('PEXPIRE', KEYS[2], ttl) end
return 1
`);

/**
 * Polling channels in Redis, keyed by the hash tag `{chan:<id>}` (one Cluster slot per
 * channel): the channel hash `<prefix>{chan:<id>}` (principal `p`, poll timeout `t`, opener `o`, session
 * state `d` and its revision `n`, last issued event `s`, queued bytes `b`), the queue
 * `<prefix>{chan:<id>}:q` (a sorted set of events scored by id), the requests in flight
 * `<prefix>{chan:<id>}:f` (`<instance> <request id>`), all expiring with the channel; the
 * channel count in `<prefix>channels` (scored by expiry, like sessions).
 */
export class RedisChannelStore implements McpChannelStore {
  constructor(
    private readonly connection: () => Redis | undefined,
    private readonly channels: RedisChannels,
    private readonly prefix: string,
  ) {}

  private keys(channelId: string): [string, string, string] {
    const key = `${this.prefix}{chan:${channelId}}`;
    return [key, `${key}:q`, `${key}:f`];
  }

  async open(
    channelId: string,
    record: McpChannelRecord,
    limits: { maxChannels: number; idleTimeoutMs: number },
  ): Promise<boolean> {
    return this.run('the polling channel could not be opened', async (redis) => {
      const now = Date.now();
      const taken = await OPEN.run(
        redis,
        [`${this.prefix}channels`],
        [now, limits.maxChannels, now + limits.idleTimeoutMs, channelId],
      );
      if (taken !== 1) return false;
      const [key] = this.keys(channelId);
      await redis
        .multi()
        .hset(key, {
          n: 0,
          p: JSON.stringify(record.principal),
          t: record.pollTimeoutMs,
          o: record.opener,
          s: 0,
          b: 0,
        })
        .pexpire(key, limits.idleTimeoutMs)
        .exec();
      return true;
    });
  }

  touch(
    channelId: string,
    idleTimeoutMs: number,
    knownRevision?: number,
  ): Promise<McpStoredChannel | undefined> {
    return this.run('the polling channel could not be read', async (redis) => {
      const reply = await TOUCH.run(redis, this.keys(channelId), [idleTimeoutMs, knownRevision ?? '']);
      if (!Array.isArray(reply) || reply[0] === null) return undefined;
      const [revision, principal, timeout, opener, session] = reply as [
        string,
        string,
        string,
        string,
        string | null | undefined,
      ];
      return {
        revision: Number(revision),
        principal: JSON.parse(principal) as string | null,
        pollTimeoutMs: Number(timeout),
        opener,
        ...(typeof session === 'string' && { session: JSON.parse(session) as McpSessionState }),
      };
    });
  }

  saveSession(channelId: string, session: McpSessionState, idleTimeoutMs: number): Promise<void> {
    return this.run('the channel session could not be saved', async (redis) => {
      await SAVE_SESSION.run(redis, [this.keys(channelId)[0]], [JSON.stringify(session), idleTimeoutMs]);
    });
  }

  push(
    channelId: string,
    messageJson: string,
    maxQueuedBytes: number,
  ): Promise<number | 'gone' | 'overflow'> {
    return this.run('the message could not be queued', async (redis) => {
      const [key, queue] = this.keys(channelId);
      const id = Number(await PUSH.run(redis, [key, queue], [messageJson, maxQueuedBytes]));
      return id === -1 ? 'gone' : id === -2 ? 'overflow' : id;
    });
  }

  poll(
    channelId: string,
    cursor: number,
    limits: { maxEvents: number; maxBytes: number },
    idleTimeoutMs: number,
  ): Promise<McpChannelBatch | 'gone' | 'unknown-cursor'> {
    return this.run('the channel could not be polled', async (redis) => {
      const [key, queue] = this.keys(channelId);
      const reply = await POLL.run(
        redis,
        [key, queue],
        [cursor, limits.maxEvents, limits.maxBytes, idleTimeoutMs],
      );
      if (reply === null) return 'gone';
      if (reply === -1) return 'unknown-cursor';
      const events = reply as string[];
      return { json: `[${events.join(',')}]`, count: events.length };
    });
  }

  watch(channelId: string, listener: () => void): Promise<() => void> {
    return this.channels.listen(this.keys(channelId)[1], listener);
  }

  admit(channelId: string, instanceId: string, requestKey: string, maxInFlight: number): Promise<boolean> {
    return this.run('the request could not be admitted', async (redis) => {
      const [key, , inFlight] = this.keys(channelId);
      return (await ADMIT.run(redis, [key, inFlight], [`${instanceId} ${requestKey}`, maxInFlight])) === 1;
    });
  }

  settle(channelId: string, instanceId: string, requestKey: string): Promise<boolean> {
    return this.run('the request could not be settled', async (redis) => {
      return (await redis.hdel(this.keys(channelId)[2], `${instanceId} ${requestKey}`)) === 1;
    });
  }

  inFlight(channelId: string): Promise<Map<string, string[]>> {
    return this.run('the requests in flight could not be read', async (redis) => {
      const byInstance = new Map<string, string[]>();
      for (const field of await redis.hkeys(this.keys(channelId)[2])) {
        const space = field.indexOf(' ');
        const instance = field.slice(0, space);
        const list = byInstance.get(instance) ?? [];
        list.push(field.slice(space + 1));
        byInstance.set(instance, list);
      }
      return byInstance;
    });
  }

  keepAlive(channelIds: readonly string[], idleTimeoutMs: number): Promise<void> {
    if (channelIds.length === 0) return Promise.resolve();
    return this.run('channels could not be kept alive', async (redis) => {
      const expiry = Date.now() + idleTimeoutMs;
      const pipeline = redis.pipeline();
      for (const id of channelIds) {
        for (const key of this.keys(id)) pipeline.pexpire(key, idleTimeoutMs);
        pipeline.zadd(`${this.prefix}channels`, 'XX', 'GT', expiry, id);
      }
      await pipeline.exec();
    });
  }

  existing(channelIds: readonly string[]): Promise<Set<string>> {
    if (channelIds.length === 0) return Promise.resolve(new Set());
    return this.run('channels could not be checked', async (redis) => {
      const pipeline = redis.pipeline();
      for (const id of channelIds) pipeline.exists(this.keys(id)[0]);
      const replies = (await pipeline.exec()) ?? [];
      return new Set(channelIds.filter((_, index) => replies[index]?.[1] === 1));
    });
  }

  delete(channelId: string): Promise<void> {
    return this.run('the channel could not be deleted', async (redis) => {
      await redis
        .pipeline()
        .del(...this.keys(channelId))
        .zrem(`${this.prefix}channels`, channelId)
        .exec();
    });
  }

  private async run<T>(what: string, step: (redis: Redis) => Promise<T>): Promise<T> {
    const redis = this.connection();
    if (redis?.status !== 'ready') {
      throw new McpStateUnavailableError(`Redis is ${redis?.status ?? 'not connected'}; ${what}`);
    }
    try {
      return await step(redis);
    } catch (error) {
      throw new McpStateUnavailableError(what, error);
    }
  }
}
