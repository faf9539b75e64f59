import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { McpFallbackClient } from 'nest-mcp/client';
import { type HttpHarness, startHttp } from '../http/support/http-harness.js';
import { taskToolEntries } from './support/task-tools.js';

/**
 * `McpFallbackClient.tasks` (issue 15): the client starts a tool as a task, follows it to its
 * end answering its questions, and cancels it, on each transport it can choose.
 */
describe('McpFallbackClient tasks', () => {
  let server: HttpHarness;
  before(async () => {
    server = await startHttp();
    for (const entry of taskToolEntries()) server.catalog.addTool(entry);
  });
  after(() => server.close());

  for (const transport of ['streamable-http', 'websocket', 'polling'] as const) {
    describe(transport, () => {
      let mcp: McpFallbackClient;
      before(async () => {
        mcp = new McpFallbackClient(server.url, {
          transports: [transport],
          clientOptions: { capabilities: { elicitation: { form: {} } } },
        });
        await mcp.connect();
        assert.equal(mcp.transportName, transport);
      });
      after(() => mcp.close());

      it('starts a task and follows it to its result', async () => {
        const started = await mcp.tasks.start('countdown', { steps: 3, stepMs: 30 });
        assert.ok('task' in started, JSON.stringify(started));
        assert.equal(started.task.status, 'working');
        const seen: string[] = [];
        const done = await mcp.tasks.follow(started.task.taskId, {
          onStatus: (task) => seen.push(task.status),
        });
        assert.equal(done.status, 'completed');
        assert.equal(done.result?.content[0]?.type, 'text');
        assert.match(JSON.stringify(done.result), /counted 3 in task/);
        assert.ok(seen.length >= 1);
        // Plain calls are untouched: a call without the extension runs inline.
        const inline = await mcp.callTool('countdown', { steps: 1, stepMs: 1 });
        assert.match(JSON.stringify(inline.content), /counted 1 in task none/);
      });

      it('answers the questions the task asks', async () => {
        const started = await mcp.tasks.start('ask-color');
        assert.ok('task' in started);
        const asked: string[] = [];
        const done = await mcp.tasks.follow(started.task.taskId, {
          answer: (key, request) => {
            asked.push(`${key}:${request.method}`);
            return { action: 'accept', content: { color: 'amber' } };
          },
        });
        assert.deepEqual(asked, ['color:elicitation/create']);
        assert.match(JSON.stringify(done.result), /color=amber/);
      });

      it('cancels a task', async () => {
        const started = await mcp.tasks.start('countdown', { steps: 500, stepMs: 50 });
        assert.ok('task' in started);
        await mcp.tasks.cancel(started.task.taskId);
        const task = await mcp.tasks.get(started.task.taskId);
        assert.equal(task.status, 'cancelled');
        await assert.rejects(
          mcp.tasks.get('not-a-task'),
          (error: { code?: number }) => error.code === -32602,
        );
      });
    });
  }
});
