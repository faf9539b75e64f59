import type { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { McpStateUnavailableError } from '../state/state-unavailable.error.js';
import type { McpTaskStore } from '../tasks/task-store.interface.js';
import { isTerminalTaskStatus, type StoredTask } from '../tasks/task.types.js';

/** Compare-and-set attempts before an update fails (each retry after a random pause of up to `attempt` ms). */
const MAX_ATTEMPTS = 50;

/** KEYS[1] the record; ARGV: the JSON read, the JSON to write, its expiry (epoch ms, or ''). */
const CAS_SCRIPT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
if ARGV[3] ~= '' then redis.call('PEXPIREAT', KEYS[1], ARGV[3]) end
return 1`;

/** The Redis key names of a fleet (see `redisState()`'s `keyPrefix`). */
export interface RedisTaskKeys {
  readonly prefix: string;
}

/**
 * Tasks on Redis, so any instance answers `tasks/get`, `tasks/update` and `tasks/cancel`:
 * - one JSON record per task at `<prefix>{task:<id>}` (hash-tagged per task, so a Redis
 *   Cluster keeps each task's key in one slot), expiring with the task (`PEXPIREAT`);
 * - read-modify-write as a read and a compare-and-set script (optimistic, retried);
 * - the unfinished tasks of a principal in the sorted set `<prefix>tasks:active:<principal>`
 *   (score: expiry), for the per-principal limit;
 * - a task whose owner instance is no longer alive (the shared state's liveness key, see
 *   `redisState()`'s `instanceTtlMs`) is failed by the next instance that reads it;
 * - answers and cancellations reach the owning instance on its channel `<prefix>tasks:<id>`;
 * - every change is announced on `<prefix>tasks:changed` (status notifications).
 */
export class RedisTaskStore implements McpTaskStore {
  private readonly listeners: Array<(taskId: string) => void> = [];
  private readonly changeListeners: Array<(taskId: string) => void> = [];

  constructor(
    /** The command connection; undefined until connected. */
    private readonly commands: () => Redis | undefined,
    private readonly keys: RedisTaskKeys,
    readonly instanceId: string,
    private readonly logger: Logger,
    /** Whether an instance still renews its liveness key (the shared state's `RedisInstanceRouter`). */
    private readonly isAlive: (instanceId: string) => Promise<boolean>,
  ) {}

  /** The channel this instance hears its tasks' changes on (the shared state subscribes it). */
  get channel(): string {
    return RedisTaskStore.channelOf(this.keys.prefix, this.instanceId);
  }

  /** The channel every instance hears every task change on, for status notifications. */
  get changesChannel(): string {
    return `${this.keys.prefix}tasks:changed`;
  }

  static channelOf(prefix: string, instanceId: string): string {
    return `${prefix}tasks:${instanceId}`;
  }

  async create(task: StoredTask): Promise<void> {
    const redis = this.redis();
    const key = this.taskKey(task.taskId);
    const write = redis.multi().set(key, JSON.stringify(task), 'NX');
    if (task.expiresAt !== null) write.pexpireat(key, task.expiresAt);
    const results = await write.exec();
    if (results === null || results[0]?.[1] !== 'OK') throw new Error(`Task ${task.taskId} exists already`);
    await this.track(task);
  }

  async get(taskId: string): Promise<StoredTask | undefined> {
    return parseTask(await this.redis().get(this.taskKey(taskId)));
  }

  /**
   * Read, change, then compare-and-set in one script (`CAS_SCRIPT`): written only if the record
   * is still what was read, else read again. No connection state (unlike `WATCH`), so updates
   * of many tasks run side by side on the one command connection.
   */
  async update(
    taskId: string,
    change: (task: StoredTask) => StoredTask | undefined,
  ): Promise<StoredTask | undefined> {
    const redis = this.redis();
    const key = this.taskKey(taskId);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const raw = await redis.get(key);
      const current = parseTask(raw);
      if (current === undefined) return undefined;
      const next = change(current);
      if (next === undefined) return current;
      const written = await redis.eval(
        CAS_SCRIPT,
        1,
        key,
        raw!,
        JSON.stringify(next),
        next.expiresAt === null ? '' : String(next.expiresAt),
      );
      if (written === 1) {
        if (isTerminalTaskStatus(next.status) && !isTerminalTaskStatus(current.status))
          await this.untrack(next);
        // Status notifications are best effort (clients poll too): a lost publish is logged only.
        redis.publish(this.changesChannel, taskId).catch((error: unknown) => {
          this.logger.warn(
            `Task change not announced: ${error instanceof Error ? error.message : String(error)}`,
          );
        });
        return next;
      }
      // Another instance wrote in between: pause at random, so two busy writers drift apart.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * (attempt + 1)));
    }
    throw new McpStateUnavailableError(`task ${taskId} kept changing; the update did not get through`);
  }

  async notifyOwner(owner: string, taskId: string): Promise<void> {
    await this.redis().publish(RedisTaskStore.channelOf(this.keys.prefix, owner), taskId);
  }

  onOwnerNotified(listener: (taskId: string) => void): void {
    this.listeners.push(listener);
  }

  /** A message on this instance's channel: the id of one of its tasks. */
  receive(taskId: string): void {
    for (const listener of this.listeners) listener(taskId);
  }

  onTaskChanged(listener: (taskId: string) => void): void {
    this.changeListeners.push(listener);
  }

  /** A message on the changes channel: the id of a task whose record changed. */
  receiveChange(taskId: string): void {
    for (const listener of this.changeListeners) listener(taskId);
  }

  isInstanceAlive(instanceId: string): Promise<boolean> {
    return this.isAlive(instanceId);
  }

  async countActive(principal: string): Promise<number> {
    const redis = this.redis();
    const key = this.activeKey(principal);
    await redis.zremrangebyscore(key, '-inf', Date.now());
    const taskIds = await redis.zrange(key, '0', '-1');
    if (taskIds.length === 0) return 0;
    // Per-key reads (one pipeline), not MGET: the records live in slots of their own.
    const pipeline = redis.pipeline();
    for (const taskId of taskIds) pipeline.get(this.taskKey(taskId));
    const records = (await pipeline.exec()) ?? [];
    let active = 0;
    const finished: string[] = [];
    records.forEach(([, raw], index) => {
      const task = parseTask(raw as string | null);
      if (task !== undefined && !isTerminalTaskStatus(task.status)) active++;
      else finished.push(taskIds[index]!);
    });
    if (finished.length > 0) await redis.zrem(key, ...finished);
    return active;
  }

  // Liveness is the shared state's (one key per instance for sessions and tasks alike), and
  // deliveries arrive on its subscribed connection: nothing of the store's own to run.
  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  private async track(task: StoredTask): Promise<void> {
    await this.redis().zadd(this.activeKey(task.principal), task.expiresAt ?? '+inf', task.taskId);
  }

  private async untrack(task: StoredTask): Promise<void> {
    await this.redis().zrem(this.activeKey(task.principal), task.taskId);
  }

  private redis(): Redis {
    const redis = this.commands();
    if (redis === undefined || redis.status !== 'ready') {
      throw new McpStateUnavailableError('Redis is not connected; tasks are unavailable');
    }
    return redis;
  }

  private taskKey(taskId: string): string {
    return `${this.keys.prefix}{task:${taskId}}`;
  }

  private activeKey(principal: string): string {
    return `${this.keys.prefix}tasks:active:${principal}`;
  }
}

function parseTask(raw: string | null | undefined): StoredTask | undefined {
  if (raw === null || raw === undefined) return undefined;
  try {
    const task = JSON.parse(raw) as StoredTask;
    if (task.expiresAt !== null && Date.now() >= task.expiresAt) return undefined;
    return task;
  } catch {
    return undefined;
  }
}
