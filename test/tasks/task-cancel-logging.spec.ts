import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { Injectable, Module } from '@nestjs/common';
import { type McpContext, McpCtx, McpTool } from 'nest-mcp';
import { type AuthoringApp, startApp, waitUntil } from '../authoring/support/authoring-harness.js';
import { modernMeta } from '../protocol/support/protocol-harness.js';
import { TASKS_META } from './support/task-peer.js';

/** How far the spinning tool got: a cancelled handler must have run to its end. */
const probe = { started: 0, ended: 0 };

@Injectable()
class CancellableTools {
  @McpTool({ name: 'wait_answer', description: 'Asks a question, as a task.', task: 'required' })
  async waitAnswer(@McpCtx() ctx: McpContext): Promise<string> {
    await ctx.elicit(
      { message: 'Go on?', requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } } } },
      { key: 'ok' },
    );
    return 'answered';
  }

  @McpTool({ name: 'spin', description: 'Runs until cancelled, then rethrows.', task: 'optional' })
  async spin(@McpCtx() ctx: McpContext): Promise<string> {
    probe.started++;
    try {
      while (!ctx.signal.aborted) await sleep(10);
      ctx.signal.throwIfAborted();
      return 'never';
    } finally {
      probe.ended++;
    }
  }
}

@Module({ providers: [CancellableTools] })
class CancellableModule {}

/**
 * Cancellation is control flow, not a failure: a task cancelled while it waits for an answer,
 * a task whose handler rethrows its aborted signal, and a plain call cancelled with
 * `notifications/cancelled` end without anything in the error log (nor Nest's exception
 * handler's), on every path the cancellation takes out of a handler.
 */
describe('cancelling tasks and calls logs no error', () => {
  let app: AuthoringApp;
  let client: InMemoryTransport;
  const inbox: Array<Record<string, any>> = [];
  let nextId = 1;

  before(async () => {
    app = await startApp([CancellableModule]);
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await app.service.connect(serverSide, { transport: 'memory' });
    client = clientSide;
    client.onmessage = (message: JSONRPCMessage) => inbox.push(message as Record<string, any>);
    await client.start();
  });
  after(async () => {
    await client?.close();
    await app?.close();
  });

  async function ask(method: string, params: Record<string, unknown>, meta = TASKS_META): Promise<any> {
    const id = nextId++;
    await client.send({ jsonrpc: '2.0', id, method, params: { ...params, _meta: modernMeta(meta) } });
    await waitUntil(() => inbox.some((message) => message['id'] === id), 5_000);
    return inbox.find((message) => message['id'] === id);
  }

  async function statusOf(taskId: string, wanted: string): Promise<void> {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const task = (await ask('tasks/get', { taskId }))['result'];
      if (task?.status === wanted) return;
      if (Date.now() > deadline) throw new Error(`task ${taskId} never ${wanted}: ${JSON.stringify(task)}`);
      await sleep(20);
    }
  }

  it('a task cancelled while it waits for an answer', async () => {
    const errorsBefore = app.logger.errors.length;
    const { taskId } = (await ask('tools/call', { name: 'wait_answer', arguments: {} }))['result'];
    await statusOf(taskId, 'input_required');
    await ask('tasks/cancel', { taskId });
    await statusOf(taskId, 'cancelled');
    await sleep(100);
    assert.deepEqual(app.logger.errors.slice(errorsBefore), []);
  });

  it('a task whose handler rethrows its aborted signal', async () => {
    const errorsBefore = app.logger.errors.length;
    const ended = probe.ended;
    const { taskId } = (await ask('tools/call', { name: 'spin', arguments: {} }))['result'];
    await statusOf(taskId, 'working');
    await ask('tasks/cancel', { taskId });
    await waitUntil(() => probe.ended > ended, 5_000);
    await sleep(50);
    assert.deepEqual(app.logger.errors.slice(errorsBefore), []);
  });

  it('a plain call cancelled with notifications/cancelled', async () => {
    const errorsBefore = app.logger.errors.length;
    const { started, ended } = probe;
    const id = nextId++;
    await client.send({
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: { name: 'spin', arguments: {}, _meta: modernMeta() },
    });
    await waitUntil(() => probe.started > started, 5_000);
    await client.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id } });
    await waitUntil(() => probe.ended > ended, 5_000);
    await sleep(50);
    assert.deepEqual(app.logger.errors.slice(errorsBefore), []);
  });
});
