import { TASKS_EXTENSION_ID } from 'nest-mcp';
import { answerTo, type WireMessage, type WirePeer } from '../../cross-transport/support/wire-peers.js';

/** The per-request capabilities of a client of the tasks extension (and of elicitation). */
export const TASKS_META = {
  'io.modelcontextprotocol/clientCapabilities': {
    elicitation: { form: {} },
    extensions: { [TASKS_EXTENSION_ID]: {} },
  },
};

let nextId = 0;

/** One request and its answer; `meta` is merged into the era's envelope (2026). */
export async function ask(
  peer: WirePeer,
  method: string,
  params: Record<string, unknown>,
  meta: Record<string, unknown> = TASKS_META,
): Promise<WireMessage> {
  const id = `t-${nextId++}`;
  await peer.request(id, method, params, peer.era === '2026' ? meta : {});
  return peer.waitFor(answerTo(id), 10_000);
}

/** Polls `tasks/get` until `done` holds for the task (or 10 s pass). */
export async function pollTask(
  peer: WirePeer,
  taskId: string,
  done: (task: WireMessage) => boolean,
): Promise<WireMessage> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const answer = await ask(peer, 'tasks/get', { taskId });
    const task = answer['result'];
    if (task === undefined) throw new Error(`tasks/get failed: ${JSON.stringify(answer)}`);
    if (done(task)) return task;
    if (Date.now() > deadline) throw new Error(`task ${taskId} never matched; last ${JSON.stringify(task)}`);
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
}

export const isTerminal = (task: WireMessage) =>
  ['completed', 'failed', 'cancelled'].includes(task['status']);
