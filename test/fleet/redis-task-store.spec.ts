import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { McpStateUnavailableError, type McpSharedState, type McpTaskStore, type StoredTask } from 'nest-mcp';
import { redisState } from 'nest-mcp/redis';
import { deleteKeys, OwnRedisServer, SHARED_REDIS_URL, testKeyPrefix } from './support/redis-server.js';

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` until it holds (or fails after `timeoutMs`): pub/sub delivery takes its time. */
async function eventually(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 3_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await settle(20);
  }
}

function newTask(owner: string, overrides: Partial<StoredTask> = {}): StoredTask {
  const now = Date.now();
  return {
    taskId: `t-${Math.random().toString(36).slice(2)}`,
    status: 'working',
    createdAt: new Date(now).toISOString(),
    lastUpdatedAt: new Date(now).toISOString(),
    ttlMs: 60_000,
    expiresAt: now + 60_000,
    pollIntervalMs: 1_000,
    owner,
    principal: 'anonymous',
    tool: 'test',
    ...overrides,
  };
}

/**
 * `RedisTaskStore` with two instances on one Redis (issue 15): a task written by one is read by
 * the other, concurrent updates from both lose nothing, owners hear about their tasks, every
 * instance hears every change, liveness lapses when an instance stops, records expire with the
 * task, and a Redis that is away is reported, not waited on.
 */
describe('the Redis task store', () => {
  const prefix = testKeyPrefix('tasks');
  let a: McpSharedState;
  let b: McpSharedState;
  let storeA: McpTaskStore;
  let storeB: McpTaskStore;
  before(async () => {
    a = redisState({ url: SHARED_REDIS_URL, keyPrefix: prefix, instanceTtlMs: 600 });
    b = redisState({ url: SHARED_REDIS_URL, keyPrefix: prefix, instanceTtlMs: 600 });
    await Promise.all([a.connect(), b.connect()]);
    storeA = a.tasks!;
    storeB = b.tasks!;
    await Promise.all([storeA.start(), storeB.start()]);
  });
  after(async () => {
    await Promise.all([storeA.stop(), storeB.stop()]);
    await Promise.all([a.close(), b.close()]);
    await deleteKeys(SHARED_REDIS_URL, prefix);
  });

  it('shares records, and loses no update when two instances write at once', async () => {
    const task = newTask(storeA.instanceId);
    await storeA.create(task);
    assert.deepEqual(await storeB.get(task.taskId), task);
    await assert.rejects(storeB.create(task), /exists already/);
    const writes = Array.from({ length: 40 }, (_, index) =>
      (index % 2 === 0 ? storeA : storeB).update(task.taskId, (current) => ({
        ...current,
        issuedKeys: [...(current.issuedKeys ?? []), `k${index}`],
      })),
    );
    await Promise.all(writes);
    const final = await storeA.get(task.taskId);
    assert.equal(final?.issuedKeys?.length, 40);
    assert.equal(await storeB.update('missing', (current) => current), undefined);
  });

  it('counts a principal’s unfinished tasks across instances', async () => {
    const first = newTask(storeA.instanceId, { principal: 'principal:counted' });
    const second = newTask(storeB.instanceId, { principal: 'principal:counted' });
    await storeA.create(first);
    await storeB.create(second);
    assert.equal(await storeA.countActive('principal:counted'), 2);
    await storeB.update(first.taskId, (current) => ({ ...current, status: 'completed' }));
    assert.equal(await storeA.countActive('principal:counted'), 1);
  });

  it('tells the owner about its task, and everybody about every change', async () => {
    const heardByOwner: string[] = [];
    const changesA: string[] = [];
    const changesB: string[] = [];
    storeA.onOwnerNotified((taskId) => heardByOwner.push(taskId));
    storeA.onTaskChanged((taskId) => changesA.push(taskId));
    storeB.onTaskChanged((taskId) => changesB.push(taskId));
    const task = newTask(storeA.instanceId);
    await storeA.create(task);
    await storeB.update(task.taskId, (current) => ({ ...current, statusMessage: 'halfway' }));
    await storeB.notifyOwner(task.owner, task.taskId);
    await eventually(() => heardByOwner.length > 0, 'the owner heard');
    await eventually(
      () => changesA.includes(task.taskId) && changesB.includes(task.taskId),
      'both instances heard the change',
    );
    await settle(100);
    assert.deepEqual(heardByOwner, [task.taskId], 'only the owner, once');
  });

  it('lets an instance’s liveness lapse once it stops, and expires records with their task', async () => {
    assert.equal(await storeB.isInstanceAlive(storeA.instanceId), true);
    const short = newTask(storeA.instanceId, { ttlMs: 300, expiresAt: Date.now() + 300 });
    await storeA.create(short);
    assert.ok(await storeB.get(short.taskId));
    await settle(400);
    assert.equal(await storeB.get(short.taskId), undefined);
    const other = redisState({ url: SHARED_REDIS_URL, keyPrefix: prefix, instanceTtlMs: 600 });
    await other.connect();
    await other.tasks!.start();
    assert.equal(await storeA.isInstanceAlive(other.tasks!.instanceId), true);
    await other.close(); // closing withdraws its liveness key (kill -9: fleet-tasks.spec)
    await eventually(async () => !(await storeA.isInstanceAlive(other.tasks!.instanceId)), 'liveness lapsed');
  });

  it('answers McpStateUnavailableError at once while Redis is away', async () => {
    const redis = await OwnRedisServer.start();
    const state = redisState({ url: redis.url, keyPrefix: prefix, maxReconnectDelayMs: 200 });
    try {
      await state.connect();
      const task = newTask(state.tasks!.instanceId);
      await state.tasks!.create(task);
      await redis.kill();
      await settle(100);
      const started = Date.now();
      await assert.rejects(state.tasks!.get(task.taskId), McpStateUnavailableError);
      assert.ok(Date.now() - started < 1_000);
    } finally {
      await state.close();
      await redis.kill();
    }
  });
});
