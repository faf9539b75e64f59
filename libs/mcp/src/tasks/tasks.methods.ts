import type { Result } from '@modelcontextprotocol/server';
import type { RequestCall } from '../protocol/request-call.js';
import { requireObject, requireString } from '../protocol/methods/request-params.js';
import { declaresTasks, missingTasksCapability } from './task-negotiation.js';
import { detailedTask } from './task.types.js';

/**
 * `tasks/get`, `tasks/update` and `tasks/cancel` (tasks extension, 2026-07-28 era only). Each
 * needs the extension declared on the request (-32021 otherwise), a string `taskId` (-32602)
 * naming a task of the caller (-32602 "not found" otherwise). Acks are empty results, which
 * the 2026 wire stamps `resultType: "complete"`.
 */

export async function getTask(call: RequestCall): Promise<Result> {
  const taskId = taskIdOf(call);
  return detailedTask(await call.engine.tasks.read(call, taskId)) as Result;
}

export async function updateTask(call: RequestCall): Promise<Result> {
  const taskId = taskIdOf(call);
  const responses = requireObject(call.params, 'inputResponses', 'tasks/update');
  await call.engine.tasks.answer(call, taskId, responses);
  return {};
}

export async function cancelTask(call: RequestCall): Promise<Result> {
  const taskId = taskIdOf(call);
  await call.engine.tasks.cancel(call, taskId);
  return {};
}

function taskIdOf(call: RequestCall): string {
  if (!declaresTasks(call)) throw missingTasksCapability(call.method);
  return requireString(call.params, 'taskId', call.method);
}
