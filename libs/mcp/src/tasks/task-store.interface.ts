import type { StoredTask } from './task.types.js';

/**
 * Where tasks live, so that `tasks/get`, `tasks/update` and `tasks/cancel` can be answered by
 * any instance (spec: "A server MUST NOT return CreateTaskResult until the task is durably
 * created"). The default is `InMemoryTaskStore` (one instance); `nest-mcp/redis`'s shared state
 * brings `RedisTaskStore`. Records are plain JSON; a store never interprets them beyond the
 * fields named here.
 */
export interface McpTaskStore {
  /** This instance's id in the store: the `owner` of the tasks it runs. */
  readonly instanceId: string;
  /** Stores a new task; resolves once a `get` on any instance finds it. */
  create(task: StoredTask): Promise<void>;
  /** The task, or `undefined` when it is unknown or past its `expiresAt`. */
  get(taskId: string): Promise<StoredTask | undefined>;
  /**
   * Atomic read-modify-write: `change` gets the current record and returns the next one, or
   * `undefined` to leave it alone. Resolves to the record as stored afterwards (`undefined`:
   * no such task). `change` may run more than once (optimistic retries), so it must be pure.
   */
  update(
    taskId: string,
    change: (task: StoredTask) => StoredTask | undefined,
  ): Promise<StoredTask | undefined>;
  /** Tells the instance `owner` that one of its tasks changed (answers delivered, cancelled). */
  notifyOwner(owner: string, taskId: string): Promise<void>;
  /** Called with the id of each of this instance's tasks another request changed. */
  onOwnerNotified(listener: (taskId: string) => void): void;
  /**
   * Called on every instance with the id of each task whose record changed (any writer), for
   * status notifications; at most once per change, possibly late, never for a change not stored.
   */
  onTaskChanged(listener: (taskId: string) => void): void;
  /** Whether the instance `instanceId` is still alive (an orphaned task's owner is not). */
  isInstanceAlive(instanceId: string): Promise<boolean>;
  /** Tasks not yet terminal created by `principal` (a binding, see `StoredTask.principal`). */
  countActive(principal: string): Promise<number>;
  /** Starts liveness reporting and notification delivery; called before the app listens. */
  start(): Promise<void>;
  /** Stops them; this instance's liveness lapses. */
  stop(): Promise<void>;
}
