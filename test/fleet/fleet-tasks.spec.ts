import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MODERN, modernHeaders, parseSse } from '../http/support/http-harness.js';
import type { ExampleProcess } from '../example/support/example-process.js';
import { ExampleFleet } from './support/example-fleet.js';
import { deleteKeys, SHARED_REDIS_URL, testKeyPrefix } from './support/redis-server.js';

/** A 2026 client of the tasks extension that can answer elicitation. */
const TASK_CLIENT_META = {
  'io.modelcontextprotocol/protocolVersion': MODERN,
  'io.modelcontextprotocol/clientCapabilities': {
    elicitation: { form: {} },
    extensions: { 'io.modelcontextprotocol/tasks': {} },
  },
  'io.modelcontextprotocol/clientInfo': { name: 'fleet-task-test', version: '0.0.1' },
};

const LIVENESS_MS = 1_500;
let nextId = 1;

/** One stateless request through nginx; `Mcp-Name` is the tool name or the task id (spec). */
async function request(url: string, method: string, params: Record<string, unknown>): Promise<any> {
  const name = (params['taskId'] ?? params['name']) as string | undefined;
  const response = await fetch(url, {
    method: 'POST',
    headers: modernHeaders(method, name),
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: nextId++,
      method,
      params: { ...params, _meta: TASK_CLIENT_META },
    }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
    return parseSse(text)
      .map((event) => event.data)
      .findLast((message) => message !== undefined && 'id' in message);
  }
  return JSON.parse(text);
}

async function pollTask(
  url: string,
  taskId: string,
  done: (task: any) => boolean,
  timeoutMs = 10_000,
): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await request(url, 'tasks/get', { taskId });
    assert.ok(answer.result, JSON.stringify(answer));
    if (done(answer.result)) return answer.result;
    if (Date.now() > deadline) throw new Error(`task ${taskId}: last seen ${JSON.stringify(answer.result)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const terminal = (task: any) => ['completed', 'failed', 'cancelled'].includes(task.status);

/**
 * Tasks across three example instances on Redis behind a round-robin nginx (issue 15): each
 * request of a task's life lands on the next instance, so the task is started on one,
 * followed, answered and cancelled through the others, and a task whose instance dies is
 * reported failed by the survivors.
 */
describe('tasks across three instances on Redis behind nginx', () => {
  const prefix = testKeyPrefix('fleet-tasks');
  let fleet: ExampleFleet;

  before(async () => {
    fleet = await ExampleFleet.start(SHARED_REDIS_URL, prefix, 3, {
      MCP_INSTANCE_TTL_MS: String(LIVENESS_MS),
    });
  });
  after(async () => {
    await fleet?.stop();
    await deleteKeys(SHARED_REDIS_URL, prefix);
  });

  it('starts a task on one instance, answers its question and reads its result through the others', async () => {
    const counted = await fleet.toolCallCounts();
    const created = await request(fleet.url, 'tools/call', {
      name: 'export_notes',
      arguments: { pauseMs: 20 },
    });
    assert.equal(created.result.resultType, 'task', JSON.stringify(created));
    const { taskId } = created.result;
    const owner = (await fleet.toolCallCounts()).findIndex((count, index) => count > counted[index]!);
    assert.ok(owner >= 0);
    const waiting = await pollTask(fleet.url, taskId, (task) => task.status === 'input_required');
    assert.equal(waiting.inputRequests.title.method, 'elicitation/create');
    // Round robin: the update and the polls go to the other instances too.
    const ack = await request(fleet.url, 'tasks/update', {
      taskId,
      inputResponses: { title: { action: 'accept', content: { title: 'Fleet export' } } },
    });
    assert.equal(ack.result.resultType, 'complete', JSON.stringify(ack));
    const done = await pollTask(fleet.url, taskId, terminal);
    assert.equal(done.status, 'completed', JSON.stringify(done));
    assert.match(done.result.content[0].text, /^# Fleet export/);
    // Every instance answers for the task, not just the one that ran it.
    for (const instance of fleet.instances) {
      const read = await request(instance.url, 'tasks/get', { taskId });
      assert.equal(read.result.status, 'completed');
    }
  });

  it('cancels through another instance: the owner stops and the task reads cancelled everywhere', async () => {
    const created = await request(fleet.url, 'tools/call', {
      name: 'export_notes',
      arguments: { pauseMs: 60_000 },
    });
    const { taskId } = created.result;
    await pollTask(fleet.url, taskId, (task) => task.status === 'input_required');
    await request(fleet.url, 'tasks/update', {
      taskId,
      inputResponses: { title: { action: 'accept', content: { title: 'Never' } } },
    });
    await pollTask(fleet.url, taskId, (task) => task.status === 'working');
    const ack = await request(fleet.url, 'tasks/cancel', { taskId });
    assert.equal(ack.result.resultType, 'complete');
    for (const instance of fleet.instances) {
      const read = await request(instance.url, 'tasks/get', { taskId });
      assert.equal(read.result.status, 'cancelled', JSON.stringify(read));
    }
  });

  it('notifies a listen on one instance of a task run by another (notifications/tasks over Redis)', async () => {
    const [watcher, runner, answerer] = fleet.instances as [ExampleProcess, ExampleProcess, ExampleProcess];
    const created = await request(runner.url, 'tools/call', {
      name: 'export_notes',
      arguments: { pauseMs: 20 },
    });
    const { taskId } = created.result;
    const stream = new AbortController();
    const response = await fetch(watcher.url, {
      method: 'POST',
      headers: modernHeaders('subscriptions/listen'),
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 'watch',
        method: 'subscriptions/listen',
        params: { notifications: { taskIds: [taskId] }, _meta: TASK_CLIENT_META },
      }),
      signal: stream.signal,
    });
    const seen: any[] = [];
    const reading = (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        for (const event of parseSse(buffer.slice(0, buffer.lastIndexOf('\n\n') + 2))) {
          if (event.data?.method === 'notifications/tasks') seen.push(event.data.params);
        }
        buffer = buffer.slice(buffer.lastIndexOf('\n\n') + 2);
        if (seen.some((task) => task.status === 'completed')) return;
      }
    })().catch(() => undefined);
    try {
      const deadline = Date.now() + 10_000;
      while (!seen.some((task) => task.status === 'input_required')) {
        assert.ok(Date.now() < deadline, `no input_required notification: ${JSON.stringify(seen)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await request(answerer.url, 'tasks/update', {
        taskId,
        inputResponses: { title: { action: 'accept', content: { title: 'Watched' } } },
      });
      await Promise.race([reading, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      const done = seen.find((task) => task.status === 'completed');
      assert.ok(done, JSON.stringify(seen.map((task) => task.status)));
      assert.match(done.result.content[0].text, /^# Watched/);
    } finally {
      stream.abort();
    }
  });

  // The last two tests stop instances: they speak to instances directly, not through nginx,
  // which would still send every third request to the stopped one.
  it('fails the tasks of an instance that shuts down gracefully, at once, with the reason', async () => {
    const [reader, , leaving] = fleet.instances as [ExampleProcess, ExampleProcess, ExampleProcess];
    const created = await request(leaving.url, 'tools/call', {
      name: 'export_notes',
      arguments: { pauseMs: 60_000 },
    });
    const { taskId } = created.result;
    await pollTask(reader.url, taskId, (task) => task.status === 'input_required');
    leaving.child.kill('SIGTERM');
    await leaving.exited;
    const read = await request(reader.url, 'tasks/get', { taskId });
    assert.equal(read.result.status, 'failed', JSON.stringify(read));
    assert.match(read.result.statusMessage, /shut down before this task finished/);
  });

  it('reports a task failed, with the reason, when the instance running it dies', async () => {
    const [reader, dying] = fleet.instances as [ExampleProcess, ExampleProcess];
    const created = await request(dying.url, 'tools/call', {
      name: 'export_notes',
      arguments: { pauseMs: 60_000 },
    });
    const { taskId } = created.result;
    await pollTask(reader.url, taskId, (task) => task.status === 'input_required');
    dying.kill();
    await dying.exited;
    // Alive until its liveness key lapses, then failed by the instance that reads it.
    const failed = await pollTask(reader.url, taskId, terminal, LIVENESS_MS * 4);
    assert.equal(failed.status, 'failed');
    assert.equal(failed.error.code, -32603);
    assert.match(failed.statusMessage, /instance running this task stopped/);
    assert.ok(!('inputRequests' in failed));
  });
});
