import type { Redis } from 'ioredis';
import type {
  McpSessionActivity,
  McpSessionState,
  McpSessionStore,
  McpStoredSession,
} from '../state/session-store.js';
import { McpStateUnavailableError } from '../state/state-unavailable.error.js';
import { RedisScript } from './redis-script.js';

/** Takes a slot in the fleet's session index, forgetting expired sessions first. */
const RESERVE = new RedisScript(`
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[4])
return 1
`);

/** Writes the state of a session that still exists (a DELETE may have won the race). */
const SAVE = new RedisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'd', ARGV[1])
local revision = redis.call('HINCRBY', KEYS[1], 'n', 1)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return revision
`);

/**
 * Refreshes the expiry and reads the session: nil when gone or not saved yet, the revision
 * alone when the caller holds it, else revision and state.
 */
const TOUCH = new RedisScript(`
if redis.call('PEXPIRE', KEYS[1], ARGV[1]) == 0 then return false end
local revision = redis.call('HGET', KEYS[1], 'n')
if not revision or revision == '0' then return false end
if revision == ARGV[2] then return {revision} end
return {revision, redis.call('HGET', KEYS[1], 'd')}
`);

/**
 * 2025-era sessions in Redis. Each session is one hash, `<prefix>{sess:<id>}` (revision `n`,
 * state `d` as JSON), expiring after the idle timeout and refreshed by each request: idle
 * expiry costs no sweep. The session limit is a sorted set of session ids scored by their
 * expiry time (`<prefix>sessions`); requests refresh the hash only, and each instance moves
 * the scores of the sessions it served once per heartbeat, so the count may lag the hashes
 * by one heartbeat. The hash tag keeps all keys of one session in one Redis Cluster slot.
 */
export class RedisSessionStore implements McpSessionStore {
  constructor(
    private readonly connection: () => Redis | undefined,
    private readonly prefix: string,
  ) {}

  private get index(): string {
    return `${this.prefix}sessions`;
  }

  keyOf(sessionId: string): string {
    return `${this.prefix}{sess:${sessionId}}`;
  }

  async reserve(sessionId: string, limits: { maxSessions: number; idleTimeoutMs: number }): Promise<boolean> {
    const redis = this.ready('the session could not be opened');
    const now = Date.now();
    try {
      const taken = await RESERVE.run(
        redis,
        [this.index],
        [now, limits.maxSessions, now + limits.idleTimeoutMs, sessionId],
      );
      if (taken !== 1) return false;
      await redis
        .multi()
        .hset(this.keyOf(sessionId), 'n', 0)
        .pexpire(this.keyOf(sessionId), limits.idleTimeoutMs)
        .exec();
      return true;
    } catch (error) {
      throw new McpStateUnavailableError('the session could not be opened', error);
    }
  }

  async save(sessionId: string, state: McpSessionState, idleTimeoutMs: number): Promise<void> {
    const redis = this.ready('the session state could not be saved');
    try {
      await SAVE.run(redis, [this.keyOf(sessionId)], [JSON.stringify(state), idleTimeoutMs]);
    } catch (error) {
      throw new McpStateUnavailableError('the session state could not be saved', error);
    }
  }

  async touch(
    sessionId: string,
    idleTimeoutMs: number,
    knownRevision?: number,
  ): Promise<McpStoredSession | undefined> {
    const redis = this.ready('the session could not be read');
    let reply: unknown;
    try {
      reply = await TOUCH.run(redis, [this.keyOf(sessionId)], [idleTimeoutMs, knownRevision ?? '']);
    } catch (error) {
      throw new McpStateUnavailableError('the session could not be read', error);
    }
    if (!Array.isArray(reply)) return undefined;
    const revision = Number(reply[0]);
    if (reply.length < 2) return { revision };
    return { revision, state: JSON.parse(String(reply[1])) as McpSessionState };
  }

  async keepAlive(sessions: readonly McpSessionActivity[], idleTimeoutMs: number): Promise<void> {
    if (sessions.length === 0) return;
    const redis = this.ready('sessions could not be kept alive');
    const now = Date.now();
    const pipeline = redis.pipeline();
    for (const { sessionId, busy, lastActivity } of sessions) {
      if (busy) pipeline.pexpire(this.keyOf(sessionId), idleTimeoutMs);
      // GT: a later activity reported by another instance is never moved back.
      pipeline.zadd(this.index, 'XX', 'GT', (busy ? now : lastActivity) + idleTimeoutMs, sessionId);
    }
    try {
      await pipeline.exec();
    } catch (error) {
      throw new McpStateUnavailableError('sessions could not be kept alive', error);
    }
  }

  async delete(sessionId: string): Promise<void> {
    const redis = this.ready('the session could not be deleted');
    try {
      await redis.pipeline().del(this.keyOf(sessionId)).zrem(this.index, sessionId).exec();
    } catch (error) {
      throw new McpStateUnavailableError('the session could not be deleted', error);
    }
  }

  private ready(what: string): Redis {
    const redis = this.connection();
    if (redis?.status !== 'ready') {
      throw new McpStateUnavailableError(`Redis is ${redis?.status ?? 'not connected'}; ${what}`);
    }
    return redis;
  }
}
