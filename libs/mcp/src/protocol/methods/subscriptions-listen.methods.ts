import { isPlainObject } from '../request-envelope.js';
import type { RequestCall } from '../request-call.js';
import { declaresTasks, missingTasksCapability } from '../../tasks/task-negotiation.js';
import { McpWireError } from '../../errors/wire-errors.js';
import { detailedTask } from '../../tasks/task.types.js';
import type { ListenTaskWatch } from '../listen-subscriptions.js';
import { ANSWERED_LATER } from './method-handler.js';

/**
 * 2026 era: opens a change-notification stream; the request stays open (see ListenSubscriptions).
 * `notifications.taskIds` (tasks extension, "Task Status Notifications") asks for
 * `notifications/tasks` about those tasks: it needs the extension declared (-32021) and a list
 * of strings (-32602); the acknowledgement lists the ids the caller may read, each of which
 * is then notified as it is and on every change, from whichever instance made it.
 */
export async function listen(call: RequestCall): Promise<typeof ANSWERED_LATER> {
  const notifications = call.params['notifications'];
  const tasks =
    isPlainObject(notifications) && notifications['taskIds'] !== undefined
      ? await taskWatchOf(call)
      : undefined;
  await call.connection.listenSubscriptions.listen(call.id, call.params, call.extra?.signal, tasks);
  return ANSWERED_LATER;
}

async function taskWatchOf(call: RequestCall): Promise<ListenTaskWatch | undefined> {
  const notifications = call.params['notifications'];
  const taskIds = isPlainObject(notifications) ? notifications['taskIds'] : undefined;
  if (taskIds === undefined) return undefined;
  if (!declaresTasks(call)) throw missingTasksCapability('task status notifications');
  if (!Array.isArray(taskIds) || !taskIds.every((id) => typeof id === 'string')) {
    throw new McpWireError(
      'invalid-params',
      "Invalid params: 'notifications.taskIds' must be a list of strings",
    );
  }
  const runner = call.engine.tasks;
  const readable = await runner.readable(call, taskIds);
  if (readable.length === 0) return undefined;
  const ids = readable.map((task) => task.taskId);
  return {
    taskIds: ids,
    watch: (deliver) => runner.watch(ids, (task) => deliver(detailedTask(task))),
  };
}
