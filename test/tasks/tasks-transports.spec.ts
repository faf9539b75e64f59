import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { type HttpHarness, startHttp } from '../http/support/http-harness.js';
import {
  ALL_PEERS,
  connectPeer,
  type Era,
  peerName,
  type TransportKind,
  type WirePeer,
} from '../cross-transport/support/wire-peers.js';
import { ask, isTerminal, pollTask, TASKS_META } from './support/task-peer.js';
import { countdownProbe, taskToolEntries } from './support/task-tools.js';

const TASK_FIXTURE = fileURLToPath(new URL('./fixture/task-fixture.main.js', import.meta.url));

function connectTo(kind: { transport: TransportKind; era: Era }, url: string): Promise<WirePeer> {
  return connectPeer(kind.transport, kind.era, url, TASK_FIXTURE);
}

/**
 * The tasks extension end to end on every transport (issue 15): a tool call answered with a
 * task handle, followed with `tasks/get`, steered with `tasks/update` and stopped with
 * `tasks/cancel`, over Streamable HTTP, WebSocket, polling and stdio. 2025-era sessions get
 * no tasks (README: the 2025-11-25 experimental tasks are not served).
 */
describe('tasks on every transport', () => {
  let server: HttpHarness;
  before(async () => {
    server = await startHttp();
    for (const entry of taskToolEntries()) server.catalog.addTool(entry);
  });
  after(() => server.close());

  for (const kind of ALL_PEERS.filter((peer) => peer.era === '2026')) {
    describe(peerName(kind), () => {
      it('advertises the extension and runs a tool as a task to its result', async () => {
        const peer = await connectTo(kind, server.url);
        try {
          const discovered = await ask(peer, 'server/discover', {});
          assert.deepEqual(discovered['result']['capabilities']['extensions'], {
            'io.modelcontextprotocol/tasks': {},
          });
          const created = await ask(peer, 'tools/call', {
            name: 'countdown',
            arguments: { steps: 4, stepMs: 40 },
          });
          const handle = created['result'];
          assert.equal(handle['resultType'], 'task', JSON.stringify(created));
          assert.equal(handle['status'], 'working');
          assert.equal(handle['pollIntervalMs'], 50);
          assert.equal(handle['ttlMs'], 60_000);
          assert.ok(!('result' in handle) && !('content' in handle));
          // Progress shows as the task's statusMessage while it runs.
          const working = await pollTask(
            peer,
            handle['taskId'],
            (task) => /^step \d of 4$/.test(task['statusMessage'] ?? '') || isTerminal(task),
          );
          assert.equal(working['resultType'], 'complete');
          const done = await pollTask(peer, handle['taskId'], isTerminal);
          assert.equal(done['status'], 'completed', JSON.stringify(done));
          assert.equal(done['result']['content'][0]['text'], `counted 4 in task ${handle['taskId']}`);
        } finally {
          await peer.close();
        }
      });

      it('asks for input inside the task and resumes on tasks/update', async () => {
        const peer = await connectTo(kind, server.url);
        try {
          const created = await ask(peer, 'tools/call', { name: 'ask-color', arguments: {} });
          const taskId = created['result']['taskId'];
          const waiting = await pollTask(peer, taskId, (task) => task['status'] === 'input_required');
          assert.equal(waiting['inputRequests']['color']['method'], 'elicitation/create');
          // An unknown key is ignored (spec); the task keeps waiting.
          const ignored = await ask(peer, 'tasks/update', {
            taskId,
            inputResponses: { nope: { action: 'accept', content: {} } },
          });
          assert.deepEqual(ignored['result']['resultType'], 'complete');
          assert.equal((await ask(peer, 'tasks/get', { taskId }))['result']['status'], 'input_required');
          const ack = await ask(peer, 'tasks/update', {
            taskId,
            inputResponses: { color: { action: 'accept', content: { color: 'teal' } } },
          });
          assert.equal(ack['result']['resultType'], 'complete');
          assert.ok(!('taskId' in ack['result']));
          const done = await pollTask(peer, taskId, isTerminal);
          assert.equal(done['status'], 'completed');
          assert.equal(done['result']['content'][0]['text'], 'color=teal');
        } finally {
          await peer.close();
        }
      });

      it('cancels a running task: the handler signal aborts and the task reads cancelled', async () => {
        const peer = await connectTo(kind, server.url);
        try {
          countdownProbe.abortedWith = undefined;
          const created = await ask(peer, 'tools/call', {
            name: 'countdown',
            arguments: { steps: 200, stepMs: 50 },
          });
          const taskId = created['result']['taskId'];
          const ack = await ask(peer, 'tasks/cancel', { taskId });
          for (const key of ['taskId', 'status', 'result', 'error']) assert.ok(!(key in ack['result']), key);
          assert.equal(ack['result']['resultType'], 'complete');
          const task = (await ask(peer, 'tasks/get', { taskId }))['result'];
          assert.equal(task['status'], 'cancelled');
          // Cancelling again is the same empty ack (idempotent).
          assert.equal((await ask(peer, 'tasks/cancel', { taskId }))['result']['resultType'], 'complete');
          if (kind.transport !== 'stdio') {
            // The handler runs in this process: its signal saw the cancellation.
            const deadline = Date.now() + 2_000;
            while (countdownProbe.abortedWith === undefined && Date.now() < deadline) {
              await new Promise((resolve) => setTimeout(resolve, 20));
            }
            assert.equal(countdownProbe.abortedWith, 'Cancelled by the client');
          }
        } finally {
          await peer.close();
        }
      });

      it('pushes notifications/tasks on a subscriptions/listen stream for the tasks it names', async () => {
        const peer = await connectTo(kind, server.url);
        try {
          const created = await ask(peer, 'tools/call', {
            name: 'countdown',
            arguments: { steps: 3, stepMs: 60 },
          });
          const taskId = created['result']['taskId'];
          await peer.request(
            'listen-tasks',
            'subscriptions/listen',
            { notifications: { taskIds: [taskId, 'not-a-task'] } },
            TASKS_META,
          );
          const ack = await peer.waitFor(
            (message) => message['method'] === 'notifications/subscriptions/acknowledged',
          );
          assert.deepEqual(ack['params']['notifications'], { taskIds: [taskId] });
          const done = await peer.waitFor(
            (message) =>
              message['method'] === 'notifications/tasks' && message['params']['status'] === 'completed',
            10_000,
          );
          assert.equal(done['params']['taskId'], taskId);
          assert.match(done['params']['result']['content'][0]['text'], /^counted 3 in task/);
          assert.equal(done['params']['_meta']['io.modelcontextprotocol/subscriptionId'], 'listen-tasks');
          const statuses = peer.received
            .filter((message) => message['method'] === 'notifications/tasks')
            .map((message) => message['params']['status']);
          assert.equal(statuses[0], 'working', JSON.stringify(statuses));
          assert.ok(statuses.some((status) => status === 'working') && statuses.at(-1) === 'completed');
        } finally {
          await peer.close();
        }
      });

      it('answers the error cases the extension specifies', async () => {
        const peer = await connectTo(kind, server.url);
        try {
          const unknown = await ask(peer, 'tasks/get', { taskId: 'no-such-task' });
          assert.equal(unknown['error']['code'], -32602);
          const noId = await ask(peer, 'tasks/get', {});
          assert.equal(noId['error']['code'], -32602);
          const noResponses = await ask(peer, 'tasks/update', { taskId: 'x' });
          assert.equal(noResponses['error']['code'], -32602);
          const plain = { 'io.modelcontextprotocol/clientCapabilities': {} };
          const ungated = await ask(peer, 'tasks/get', { taskId: 'x' }, plain);
          assert.equal(ungated['error']['code'], -32021);
          assert.deepEqual(ungated['error']['data'], {
            requiredCapabilities: { extensions: { 'io.modelcontextprotocol/tasks': {} } },
          });
          const required = await ask(peer, 'tools/call', { name: 'only-task', arguments: {} }, plain);
          assert.equal(required['error']['code'], -32021);
          const inline = await ask(peer, 'tools/call', { name: 'countdown', arguments: { steps: 1 } }, plain);
          assert.equal(inline['result']['content'][0]['text'], 'counted 1 in task none');
          for (const removed of ['tasks/result', 'tasks/list']) {
            const answer = await ask(peer, removed, { taskId: 'x' });
            assert.equal(answer['error']['code'], -32601, removed);
          }
        } finally {
          await peer.close();
        }
      });
    });
  }

  for (const kind of ALL_PEERS.filter((peer) => peer.era === '2025')) {
    it(`${peerName(kind)}: no tasks in a 2025 session (optional runs inline, required is -32021)`, async () => {
      const peer = await connectPeer(kind.transport, kind.era, server.url, TASK_FIXTURE);
      try {
        const inline = await ask(peer, 'tools/call', { name: 'countdown', arguments: { steps: 1 } });
        assert.equal(inline['result']['content'][0]['text'], 'counted 1 in task none');
        assert.ok(!('taskId' in inline['result']));
        const required = await ask(peer, 'tools/call', { name: 'only-task', arguments: {} });
        assert.equal(required['error']['code'], -32021);
        const get = await ask(peer, 'tasks/get', { taskId: 'x' });
        assert.equal(get['error']['code'], -32601);
      } finally {
        await peer.close();
      }
    });
  }
});
