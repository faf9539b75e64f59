import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RawClient } from '../websocket/support/ws-harness.js';
import { ExampleProcess, freePort } from '../example/support/example-process.js';
import { EDITOR_TOKEN, ExampleFleet } from './support/example-fleet.js';
import { callTool, OpenListen, toolNames } from './support/modern-http.js';
import { deleteKeys, OwnRedisServer, SHARED_REDIS_URL, testKeyPrefix } from './support/redis-server.js';

const EDITOR = { authorization: `Bearer ${EDITOR_TOKEN}` };
const TOOLS_CHANGED = 'notifications/tools/list_changed';

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('three example instances on one Redis behind a round-robin nginx', () => {
  const prefix = testKeyPrefix('fleet');
  let fleet: ExampleFleet;

  before(async () => {
    fleet = await ExampleFleet.start(SHARED_REDIS_URL, prefix);
  });
  after(async () => {
    await fleet?.stop();
    await deleteKeys(SHARED_REDIS_URL, prefix);
  });

  it('serves an input-required flow whose rounds land on three different instances', async () => {
    const counted = await fleet.toolCallCounts();
    const first = await callTool(fleet.url, 'draft_note');
    assert.equal(first.result.resultType, 'input_required', JSON.stringify(first));
    assert.ok(first.result.inputRequests.title);
    const second = await callTool(
      fleet.url,
      'draft_note',
      {},
      {
        requestState: first.result.requestState,
        inputResponses: { title: { action: 'accept', content: { title: 'Fleet' } } },
      },
    );
    assert.equal(second.result.resultType, 'input_required', JSON.stringify(second));
    assert.ok(second.result.inputRequests.body);
    const third = await callTool(
      fleet.url,
      'draft_note',
      {},
      {
        requestState: second.result.requestState,
        inputResponses: { body: { action: 'accept', content: { body: 'Written on three instances' } } },
      },
    );
    assert.equal(third.result.isError, undefined, JSON.stringify(third));
    assert.equal(third.result.structuredContent.title, 'Fleet');
    assert.equal(third.result.structuredContent.body, 'Written on three instances');
    const served = (await fleet.toolCallCounts()).map((count, index) => count - counted[index]!);
    assert.deepEqual(served, [1, 1, 1], 'each round was served by another instance');
  });

  it('refuses a round replayed by another principal, on any instance', async () => {
    const first = await callTool(fleet.url, 'draft_note');
    const replayed = await callTool(
      fleet.url,
      'draft_note',
      {},
      {
        requestState: first.result.requestState,
        inputResponses: { title: { action: 'accept', content: { title: 'Stolen' } } },
        headers: EDITOR,
      },
    );
    assert.equal(replayed.error?.code, -32602, JSON.stringify(replayed));
  });

  it('adds a tool on every instance, and every open listen and WebSocket session hears it once', async () => {
    // One listen (2026, HTTP) and one 2025 WebSocket session per instance: round robin spreads them.
    const listens = [
      await OpenListen.open(fleet.url),
      await OpenListen.open(fleet.url),
      await OpenListen.open(fleet.url),
    ];
    const sockets = await Promise.all(fleet.instances.map(() => RawClient.open(fleet.balancer.wsUrl)));
    try {
      for (const socket of sockets) await socket.initialize();
      const added = await callTool(fleet.url, 'add_tag_shortcut', { tag: 'home' }, { headers: EDITOR });
      assert.equal(added.result.isError, undefined, JSON.stringify(added));
      await Promise.all(
        listens.map((listen) => listen.waitFor((message) => message.method === TOOLS_CHANGED, 2_000)),
      );
      await Promise.all(
        sockets.map(async (socket) => {
          const deadline = Date.now() + 2_000;
          while (
            !socket.messages.some((message) => message.method === TOOLS_CHANGED) &&
            Date.now() < deadline
          ) {
            await settle(10);
          }
        }),
      );
      await settle(300);
      assert.deepEqual(
        listens.map((listen) => listen.count(TOOLS_CHANGED)),
        [1, 1, 1],
      );
      assert.deepEqual(
        sockets.map((socket) => socket.messages.filter((message) => message.method === TOOLS_CHANGED).length),
        [1, 1, 1],
      );
      for (let round = 0; round < 3; round++) {
        assert.ok((await toolNames(fleet.url)).includes('notes_tagged_home'));
        const called = await callTool(fleet.url, 'notes_tagged_home');
        assert.equal(called.result.isError, undefined, JSON.stringify(called));
        assert.match(JSON.stringify(called.result.content), /Groceries/);
      }
    } finally {
      for (const listen of listens) listen.close();
      await Promise.all(sockets.map((socket) => socket.close()));
    }
  });

  it('an instance that starts later tells no listener anything and has the fleet-wide tool', async () => {
    const listen = await OpenListen.open(fleet.url, {
      toolsListChanged: true,
      promptsListChanged: true,
      resourcesListChanged: true,
    });
    const late = await ExampleProcess.start(fleet.env);
    try {
      await settle(300);
      assert.deepEqual(listen.notifications.slice(1), [], 'start-up registration published nothing');
      assert.ok((await toolNames(late.url)).includes('notes_tagged_home'), 'the change was replayed');
    } finally {
      listen.close();
      late.kill();
    }
  });
});

describe('a fleet whose Redis goes away and comes back', () => {
  const prefix = testKeyPrefix('restart');
  let redis: OwnRedisServer;
  let fleet: ExampleFleet;

  before(async () => {
    redis = await OwnRedisServer.start();
    fleet = await ExampleFleet.start(redis.url, prefix);
  });
  after(async () => {
    await fleet?.stop();
    await redis?.kill();
  });

  it('keeps stateless calls working, refuses fleet changes at once, and resyncs listeners after', async () => {
    const listens = [
      await OpenListen.open(fleet.url),
      await OpenListen.open(fleet.url),
      await OpenListen.open(fleet.url),
    ];
    try {
      await redis.kill();
      await settle(200);
      for (let round = 0; round < 3; round++) {
        const found = await callTool(fleet.url, 'search_notes', { query: 'milk' });
        assert.equal(found.result.isError, undefined, JSON.stringify(found));
      }
      const started = Date.now();
      const refused = await callTool(fleet.url, 'add_tag_shortcut', { tag: 'away' }, { headers: EDITOR });
      assert.ok(Date.now() - started < 2_000, 'answered at once');
      assert.match(JSON.stringify(refused), /Shared state unavailable/);
      assert.ok(!(await toolNames(fleet.url)).includes('notes_tagged_away'), 'nothing was applied');

      await redis.restart();
      // ioredis retries at most every 2 s: each instance tells its own listeners to refetch.
      await Promise.all(
        listens.map((listen) => listen.waitFor((message) => message.method === TOOLS_CHANGED, 8_000)),
      );
      await waitUntil(async () => {
        const added = await callTool(fleet.url, 'add_tag_shortcut', { tag: 'back' }, { headers: EDITOR });
        return added.result?.isError === undefined && added.error === undefined;
      }, 8_000);
      for (let round = 0; round < 3; round++)
        assert.ok((await toolNames(fleet.url)).includes('notes_tagged_back'));
    } finally {
      for (const listen of listens) listen.close();
    }
  });
});

describe('an instance whose Redis cannot be reached at start-up', () => {
  it('does not start, and says what it could not reach and what to fix', async () => {
    const closedPort = await freePort();
    await assert.rejects(
      ExampleProcess.start({
        REDIS_URL: `redis://127.0.0.1:${closedPort}`,
        MCP_REQUEST_STATE_KEY: 'k'.repeat(32),
      }),
      (error: Error) => {
        assert.match(error.message, /exited with 1/);
        assert.match(error.message, new RegExp(`cannot reach Redis at redis://127.0.0.1:${closedPort}`));
        assert.match(error.message, /Start Redis or fix the URL \(redisState's url\)/);
        return true;
      },
    );
  });

  it('does not start without a shared requestState key, and names the option', async () => {
    await assert.rejects(
      ExampleProcess.start({ REDIS_URL: SHARED_REDIS_URL, MCP_REQUEST_STATE_KEY: '' }),
      (error: Error) => {
        assert.match(error.message, /set requestState\.keys/);
        return true;
      },
    );
  });
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not so within ${timeoutMs} ms`);
    await settle(100);
  }
}
