import type { Logger } from '@nestjs/common';
import type { McpTaskStore } from './task-store.interface.js';
import type { StoredTask } from './task.types.js';

/**
 * Who wants to hear about which task (`subscriptions/listen` with `taskIds`, tasks extension
 * "Task Status Notifications"), fed by the store's change announcements, which come from every
 * instance. Each listener hears a task once as it is, then once per visible change.
 */
export class TaskStatusWatch {
  private readonly watchers = new Map<string, Set<(task: StoredTask) => void>>();

  constructor(
    private readonly store: McpTaskStore,
    private readonly logger: Logger,
  ) {
    store.onTaskChanged((taskId) => this.changed(taskId));
  }

  /** Calls `listener` with each of `taskIds` now and on each change; returns the unsubscribe function. */
  watch(taskIds: readonly string[], listener: (task: StoredTask) => void): () => void {
    const last = new Map<string, string>();
    const deliver = (task: StoredTask) => {
      // One notification per visible change (a record also changes when answers are taken).
      const seen = `${task.status}|${task.lastUpdatedAt}|${task.statusMessage ?? ''}`;
      if (last.get(task.taskId) === seen) return;
      last.set(task.taskId, seen);
      listener(task);
    };
    for (const taskId of taskIds) {
      const set = this.watchers.get(taskId) ?? new Set();
      set.add(deliver);
      this.watchers.set(taskId, set);
      // Read after registering, so no change falls between the state sent and the first event.
      this.readAndSend(taskId, [deliver]);
    }
    return () => {
      for (const taskId of taskIds) {
        const set = this.watchers.get(taskId);
        set?.delete(deliver);
        if (set?.size === 0) this.watchers.delete(taskId);
      }
    };
  }

  private changed(taskId: string): void {
    const set = this.watchers.get(taskId);
    if (set !== undefined) this.readAndSend(taskId, set);
  }

  private readAndSend(taskId: string, listeners: Iterable<(task: StoredTask) => void>): void {
    this.store.get(taskId).then(
      (task) => {
        if (task !== undefined) for (const deliver of listeners) deliver(task);
      },
      (error: unknown) =>
        this.logger.warn(
          `Task ${taskId}: no status notification: ${error instanceof Error ? error.message : String(error)}`,
        ),
    );
  }
}
