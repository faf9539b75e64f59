import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type HttpHarness,
  modernHeaders,
  modernMeta,
  parseSse,
  post,
  startHttp,
} from '../http/support/http-harness.js';
import { TASKS_META } from './support/task-peer.js';
import { immediateToolEntry, taskToolEntries } from './support/task-tools.js';

let nextId = 1;

async function rpc(
  url: string,
  method: string,
  params: Record<string, unknown>,
  meta: Record<string, unknown> = TASKS_META,
): Promise<any> {
  const name = (params['taskId'] ?? params['name']) as string | undefined;
  const response = await post(
    url,
    { jsonrpc: '2.0', id: nextId++, method, params: { ...params, _meta: modernMeta(meta) } },
    modernHeaders(method, name),
  );
  const text = await response.text();
  if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
    return parseSse(text).findLast((event) => event.data?.id !== undefined)?.data;
  }
  return JSON.parse(text);
}

/**
 * `immediateMs` (issue 15): a task-capable tool answers plainly when it is quick, becomes a task
 * when it is not, and gathers input with multi round-trip rounds before the task exists (spec:
 * "resolve all MRTR exchanges synchronously before responding with a CreateTaskResult").
 * Also the listen rule of the extension: task notifications need the extension declared.
 */
describe('tasks: the immediate window and task notifications', () => {
  let server: HttpHarness;
  before(async () => {
    server = await startHttp();
    for (const entry of [...taskToolEntries(), immediateToolEntry()]) server.catalog.addTool(entry);
  });
  after(() => server.close());

  it('answers a quick call with its plain result, and a slow one with a task', async () => {
    const quick = await rpc(server.url, 'tools/call', { name: 'maybe-task', arguments: { ms: 5 } });
    assert.equal(quick.result.resultType, 'complete');
    assert.equal(quick.result.content[0].text, 'slept 5 ms for nobody (task no)');
    const slow = await rpc(server.url, 'tools/call', { name: 'maybe-task', arguments: { ms: 400 } });
    assert.equal(slow.result.resultType, 'task', JSON.stringify(slow));
    const { taskId } = slow.result;
    let task;
    do {
      task = (await rpc(server.url, 'tasks/get', { taskId })).result;
    } while (task.status === 'working');
    assert.equal(task.status, 'completed');
    assert.equal(task.result.content[0].text, 'slept 400 ms for nobody (task yes)');
  });

  it('asks on the call itself before the task exists, then creates the task', async () => {
    const first = await rpc(server.url, 'tools/call', {
      name: 'maybe-task',
      arguments: { ms: 400, ask: true },
    });
    assert.equal(first.result.resultType, 'input_required', JSON.stringify(first));
    assert.ok(!('taskId' in first.result));
    assert.equal(first.result.inputRequests.name.method, 'elicitation/create');
    const second = await rpc(server.url, 'tools/call', {
      name: 'maybe-task',
      arguments: { ms: 400, ask: true },
      requestState: first.result.requestState,
      inputResponses: { name: { action: 'accept', content: { name: 'Ada' } } },
    });
    assert.equal(second.result.resultType, 'task', JSON.stringify(second));
    assert.ok(!('requestState' in second.result));
    const { taskId } = second.result;
    let task;
    do {
      task = (await rpc(server.url, 'tasks/get', { taskId })).result;
    } while (task.status === 'working');
    assert.equal(task.result.content[0].text, 'slept 400 ms for Ada (task yes)');
  });

  it('refuses task notifications on subscriptions/listen without the extension (-32021), and never offers them', async () => {
    const plain = { 'io.modelcontextprotocol/clientCapabilities': {} };
    const refused = await rpc(
      server.url,
      'subscriptions/listen',
      { notifications: { taskIds: ['x'] } },
      plain,
    );
    assert.equal(refused.error.code, -32021, JSON.stringify(refused));
    assert.deepEqual(refused.error.data, {
      requiredCapabilities: { extensions: { 'io.modelcontextprotocol/tasks': {} } },
    });
    // Declared: acknowledged without taskIds (clients poll), and ended since nothing can come.
    const response = await post(
      server.url,
      {
        jsonrpc: '2.0',
        id: 'listen',
        method: 'subscriptions/listen',
        params: { notifications: { taskIds: ['x'] }, _meta: modernMeta(TASKS_META) },
      },
      modernHeaders('subscriptions/listen'),
    );
    const events = parseSse(await response.text()).map((event) => event.data);
    const ack = events.find((message) => message?.method === 'notifications/subscriptions/acknowledged');
    assert.deepEqual(ack.params.notifications, {});
  });
});
