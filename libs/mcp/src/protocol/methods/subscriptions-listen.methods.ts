import { isPlainObject } from '../request-envelope.js';
import type { RequestCall } from '../request-call.js';
import { declaresTasks, missingTasksCapability } from '../../tasks/task-negotiation.js';
import { ANSWERED_LATER } from './method-handler.js';

/**
 * 2026 era: opens a change-notification stream; the request stays open (see ListenSubscriptions).
 * Task status notifications (`notifications.taskIds`, tasks extension) are not offered: the
 * acknowledgement never lists them, and a client that asks for them without declaring the
 * extension gets -32021 (spec, "Task Status Notifications").
 */
export async function listen(call: RequestCall): Promise<typeof ANSWERED_LATER> {
  const notifications = call.params['notifications'];
  if (isPlainObject(notifications) && notifications['taskIds'] !== undefined && !declaresTasks(call)) {
    throw missingTasksCapability('task status notifications');
  }
  await call.connection.listenSubscriptions.listen(call.id, call.params, call.extra?.signal);
  return ANSWERED_LATER;
}
