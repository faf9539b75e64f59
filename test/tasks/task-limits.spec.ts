import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { buildToolEntry, type McpContext, type McpModuleOptions } from 'nest-mcp';
import {
  type HttpHarness,
  modernHeaders,
  modernMeta,
  parseSse,
  post,
  startHttp,
} from '../http/support/http-harness.js';
import { TASKS_META } from './support/task-peer.js';
import { taskToolEntries } from './support/task-tools.js';

/** `x-user: <id>` becomes the principal, as an auth guard would set it. */
class HeaderUserGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<IncomingMessage & { user?: unknown }>();
    const name = req.headers['x-user'];
    if (typeof name === 'string') req.user = { id: name };
    return true;
  }
}

let nextId = 1;

/** One 2026 request over HTTP as `user`; the JSON-RPC answer. */
async function rpc(
  url: string,
  method: string,
  params: Record<string, unknown>,
  user = 'alice',
  meta: Record<string, unknown> = TASKS_META,
): Promise<any> {
  const name = (params['taskId'] ?? params['name']) as unknown;
  const response = await post(
    url,
    { jsonrpc: '2.0', id: nextId++, method, params: { ...params, _meta: modernMeta(meta) } },
    { ...modernHeaders(method, typeof name === 'string' ? name : undefined), 'x-user': user },
  );
  const text = await response.text();
  if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
    return parseSse(text).findLast((event) => event.data?.id !== undefined)?.data;
  }
  return JSON.parse(text);
}

async function settled(url: string, taskId: string, user = 'alice'): Promise<any> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const { result } = await rpc(url, 'tasks/get', { taskId }, user);
    if (['completed', 'failed', 'cancelled'].includes(result.status) || Date.now() > deadline) return result;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const LONG = { name: 'countdown', arguments: { steps: 1000, stepMs: 50 } };

/**
 * Limits, binding and bad input of the tasks extension (issue 15): tasks per principal and per
 * instance, result size, TTL, another principal's task, and malformed requests, each answered
 * with the error the extension (or our table) gives.
 */
describe('task limits and bad input', () => {
  let server: HttpHarness;
  before(async () => {
    server = await startHttp({
      guards: [new HeaderUserGuard()],
      tasks: { maxActivePerPrincipal: 2, maxActivePerInstance: 3, maxResultBytes: 200, defaultTtlMs: 400 },
    } as Partial<McpModuleOptions>);
    for (const entry of taskToolEntries()) server.catalog.addTool(entry);
  });
  after(() => server.close());

  it('refuses a principal its third unfinished task (-32011), and the instance its fourth', async () => {
    const first = await rpc(server.url, 'tools/call', LONG, 'alice');
    const second = await rpc(server.url, 'tools/call', LONG, 'alice');
    const third = await rpc(server.url, 'tools/call', LONG, 'alice');
    assert.equal(third.error.code, -32011, JSON.stringify(third));
    assert.match(third.error.message, /Too many unfinished tasks for this principal \(limit 2\)/);
    const bobs = await rpc(server.url, 'tools/call', LONG, 'bob');
    assert.equal(bobs.result.resultType, 'task');
    const fourth = await rpc(server.url, 'tools/call', LONG, 'carol');
    assert.equal(fourth.error.code, -32011);
    assert.match(fourth.error.message, /runs its limit of 3 tasks/);
    // A finished task frees its place.
    await rpc(server.url, 'tasks/cancel', { taskId: first.result.taskId }, 'alice');
    const again = await rpc(server.url, 'tools/call', LONG, 'alice');
    assert.equal(again.result.resultType, 'task', JSON.stringify(again));
    for (const [taskId, user] of [
      [second.result.taskId, 'alice'],
      [bobs.result.taskId, 'bob'],
      [again.result.taskId, 'alice'],
    ]) {
      await rpc(server.url, 'tasks/cancel', { taskId }, user);
    }
  });

  it("keeps a principal's tasks from every other principal: not found, as an unknown id", async () => {
    const created = await rpc(server.url, 'tools/call', { name: 'only-task', arguments: {} }, 'alice');
    const { taskId } = created.result;
    for (const method of ['tasks/get', 'tasks/cancel']) {
      const answer = await rpc(server.url, method, { taskId }, 'mallory');
      assert.equal(answer.error.code, -32602, `${method}: ${JSON.stringify(answer)}`);
      assert.match(answer.error.message, /Task not found/);
    }
    const update = await rpc(server.url, 'tasks/update', { taskId, inputResponses: {} }, 'mallory');
    assert.equal(update.error.code, -32602);
    assert.equal((await settled(server.url, taskId)).status, 'completed');
  });

  it('fails a task whose result is above maxResultBytes, with the sizes in the message', async () => {
    const small = await rpc(server.url, 'tools/call', { name: 'big-result', arguments: { bytes: 20 } });
    assert.equal((await settled(server.url, small.result.taskId)).status, 'completed');
    const big = await rpc(server.url, 'tools/call', { name: 'big-result', arguments: { bytes: 500 } });
    const failed = await settled(server.url, big.result.taskId);
    assert.equal(failed.status, 'failed');
    assert.equal(failed.error.code, -32603);
    assert.match(failed.error.message, /above the server's limit of 200/);
    assert.ok(!('result' in failed));
  });

  it('stops a handler still running when its task outlives its ttlMs', async () => {
    let abortedWith: unknown;
    server.catalog.addTool(
      buildToolEntry({ name: 'wait-forever', task: 'required' }, async (_args: unknown, ctx: McpContext) => {
        await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve, { once: true }));
        abortedWith = ctx.signal.reason;
        return 'stopped';
      }),
    );
    const created = await rpc(server.url, 'tools/call', { name: 'wait-forever', arguments: {} });
    assert.equal(created.result.ttlMs, 400);
    await new Promise((resolve) => setTimeout(resolve, 600));
    assert.equal(abortedWith, 'The task outlived its ttlMs');
    const gone = await rpc(server.url, 'tasks/get', { taskId: created.result.taskId });
    assert.equal(gone.error.code, -32602);
  });

  it('forgets a task after its ttlMs: tasks/get is then -32602', async () => {
    const created = await rpc(server.url, 'tools/call', { name: 'only-task', arguments: {} });
    assert.equal(created.result.ttlMs, 400);
    const { taskId } = created.result;
    assert.equal((await settled(server.url, taskId)).status, 'completed');
    await new Promise((resolve) => setTimeout(resolve, 450));
    const gone = await rpc(server.url, 'tasks/get', { taskId });
    assert.equal(gone.error.code, -32602);
  });

  it('answers malformed task requests with -32602 and ignores malformed answers', async () => {
    for (const params of [{ taskId: 42 }, { taskId: null }, {}]) {
      const answer = await rpc(server.url, 'tasks/get', params);
      assert.equal(answer.error?.code, -32602, JSON.stringify(params));
    }
    for (const inputResponses of [[], 'yes', null, undefined]) {
      const answer = await rpc(server.url, 'tasks/update', { taskId: 'x', inputResponses });
      assert.equal(answer.error?.code, -32602, JSON.stringify(inputResponses));
    }
    const created = await rpc(server.url, 'tools/call', { name: 'ask-color', arguments: {} });
    const { taskId } = created.result;
    const deadline = Date.now() + 5_000;
    while ((await rpc(server.url, 'tasks/get', { taskId })).result.status !== 'input_required') {
      assert.ok(Date.now() < deadline, 'the task never asked');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // An answer of the wrong shape for the question is ignored: the question stays open.
    const wrong = await rpc(server.url, 'tasks/update', {
      taskId,
      inputResponses: { color: { action: 'maybe' } },
    });
    assert.equal(wrong.result.resultType, 'complete');
    const still = (await rpc(server.url, 'tasks/get', { taskId })).result;
    assert.equal(still.status, 'input_required');
    assert.ok(still.inputRequests.color);
    await rpc(server.url, 'tasks/cancel', { taskId });
    // Arguments the tool's schema refuses are answered at once, without a task.
    const refused = await rpc(server.url, 'tools/call', { name: 'countdown', arguments: 'nope' });
    assert.equal(refused.error?.code, -32602, JSON.stringify(refused));
  });
});
