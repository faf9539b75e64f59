import { randomUUID } from 'node:crypto';
import type { McpTaskStore } from './task-store.interface.js';
import { isTerminalTaskStatus, type StoredTask } from './task.types.js';

/** Expired tasks are dropped on read and by a sweep this often. */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * Tasks in this process's memory: the default, right for one instance. Records are cloned in
 * and out (`structuredClone`), so a caller never shares an object with the store, as with a
 * store across the network.
 */
export class InMemoryTaskStore implements McpTaskStore {
  readonly instanceId = randomUUID();
  private readonly tasks = new Map<string, StoredTask>();
  private readonly listeners: Array<(taskId: string) => void> = [];
  private readonly changeListeners: Array<(taskId: string) => void> = [];
  private sweeper: NodeJS.Timeout | undefined;

  create(task: StoredTask): Promise<void> {
    this.tasks.set(task.taskId, structuredClone(task));
    return Promise.resolve();
  }

  get(taskId: string): Promise<StoredTask | undefined> {
    const task = this.live(taskId);
    return Promise.resolve(task === undefined ? undefined : structuredClone(task));
  }

  update(
    taskId: string,
    change: (task: StoredTask) => StoredTask | undefined,
  ): Promise<StoredTask | undefined> {
    const task = this.live(taskId);
    if (task === undefined) return Promise.resolve(undefined);
    const next = change(structuredClone(task));
    if (next !== undefined) {
      this.tasks.set(taskId, structuredClone(next));
      queueMicrotask(() => {
        for (const listener of this.changeListeners) listener(taskId);
      });
    }
    return Promise.resolve(structuredClone(next ?? task));
  }

  notifyOwner(owner: string, taskId: string): Promise<void> {
    // One process: the owner is this instance. Delivered on a later turn, as over a network.
    if (owner === this.instanceId) {
      queueMicrotask(() => {
        for (const listener of this.listeners) listener(taskId);
      });
    }
    return Promise.resolve();
  }

  onOwnerNotified(listener: (taskId: string) => void): void {
    this.listeners.push(listener);
  }

  onTaskChanged(listener: (taskId: string) => void): void {
    this.changeListeners.push(listener);
  }

  isInstanceAlive(instanceId: string): Promise<boolean> {
    return Promise.resolve(instanceId === this.instanceId);
  }

  countActive(principal: string): Promise<number> {
    let count = 0;
    for (const task of this.tasks.values()) {
      if (task.principal === principal && !isTerminalTaskStatus(task.status) && !this.expired(task)) count++;
    }
    return Promise.resolve(count);
  }

  start(): Promise<void> {
    this.sweeper ??= setInterval(() => this.sweep(), SWEEP_INTERVAL_MS).unref();
    return Promise.resolve();
  }

  stop(): Promise<void> {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
    return Promise.resolve();
  }

  private live(taskId: string): StoredTask | undefined {
    const task = this.tasks.get(taskId);
    if (task !== undefined && this.expired(task)) {
      this.tasks.delete(taskId);
      return undefined;
    }
    return task;
  }

  private expired(task: StoredTask): boolean {
    return task.expiresAt !== null && Date.now() >= task.expiresAt;
  }

  private sweep(): void {
    for (const [taskId, task] of this.tasks) if (this.expired(task)) this.tasks.delete(taskId);
  }
}
