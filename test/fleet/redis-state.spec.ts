import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { ServerEvent } from '@modelcontextprotocol/server';
import { McpFleetChanges, McpHealthIndicator, McpRegistry, type McpSharedState } from 'nest-mcp';
import { redisState } from 'nest-mcp/redis';
import { startApp } from '../websocket/support/ws-harness.js';
import { FLEET_REQUEST_STATE_KEY } from './support/example-fleet.js';
import { deleteKeys, OwnRedisServer, SHARED_REDIS_URL, testKeyPrefix } from './support/redis-server.js';

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the Redis change bus', () => {
  const prefix = testKeyPrefix('bus');
  const states: McpSharedState[] = [];
  after(async () => {
    await Promise.all(states.map((state) => state.close()));
    await deleteKeys(SHARED_REDIS_URL, prefix);
  });

  it('serves local listeners at once, remote ones within milliseconds, and nobody twice', async () => {
    const [a, b] = [
      redisState({ url: SHARED_REDIS_URL, keyPrefix: prefix }),
      redisState({ url: SHARED_REDIS_URL, keyPrefix: prefix }),
    ];
    states.push(a, b);
    await Promise.all([a.connect(), b.connect()]);
    const heardByA: ServerEvent[] = [];
    const heardByB: Array<{ event: ServerEvent; at: number }> = [];
    a.changeBus.subscribe((event) => heardByA.push(event));
    b.changeBus.subscribe((event) => heardByB.push({ event, at: Date.now() }));
    const sentAt = Date.now();
    a.changeBus.publish({ kind: 'resource_updated', uri: 'notes://1' });
    assert.deepEqual(
      heardByA,
      [{ kind: 'resource_updated', uri: 'notes://1' }],
      'delivered before publish returned',
    );
    a.changeBus.publishLocal({ kind: 'tools_list_changed' });
    await settle(200);
    assert.equal(heardByA.length, 2, 'its own message coming back from Redis is dropped');
    assert.deepEqual(
      heardByB.map((heard) => heard.event),
      [{ kind: 'resource_updated', uri: 'notes://1' }],
    );
    assert.ok(heardByB[0]!.at - sentAt < 100, `remote delivery took ${heardByB[0]!.at - sentAt} ms`);
  });

  it('ignores what is not one of its messages on the channel', async () => {
    const [a] = states;
    const heard: ServerEvent[] = [];
    const unsubscribe = a!.changeBus.subscribe((event) => heard.push(event));
    const { Redis } = await import('ioredis');
    const stranger = new Redis(SHARED_REDIS_URL);
    try {
      await stranger.publish(`${prefix}changes`, 'not json');
      await stranger.publish(`${prefix}changes`, JSON.stringify({ i: 'x', e: { nokind: true } }));
      await settle(100);
      assert.deepEqual(heard, []);
    } finally {
      unsubscribe();
      stranger.disconnect();
    }
  });
});

describe('an app on Redis state', () => {
  it('reports Redis in its health, refuses fleet changes while Redis is away, and catches up after', async () => {
    const redis = await OwnRedisServer.start();
    const prefix = testKeyPrefix('health');
    const state = redisState({ url: redis.url, keyPrefix: prefix, maxReconnectDelayMs: 200 });
    const server = await startApp({ state, requestState: { keys: [FLEET_REQUEST_STATE_KEY] } });
    try {
      const registry = server.app.get(McpRegistry);
      const fleet = server.app.get(McpFleetChanges);
      fleet.define<{ name: string }>('probe-tool', ({ name }) => {
        if (registry.getTool(name) === undefined) registry.addTool({ name }, () => 'ok');
      });
      const health = server.app.get(McpHealthIndicator);
      const up = await health.isHealthy('mcp');
      assert.equal(up['mcp'].status, 'up');
      assert.equal((up['mcp'] as any).redis.status, 'ready');

      await redis.kill();
      await settle(100);
      const down = await health.isHealthy('mcp');
      assert.equal(down['mcp'].status, 'down');
      assert.equal((down['mcp'] as any).redis.up, false);
      const started = Date.now();
      await assert.rejects(fleet.apply('probe-tool', { name: 'while_away' }), /Shared state unavailable/);
      assert.ok(Date.now() - started < 500, 'refused at once');
      assert.equal(registry.getTool('while_away'), undefined);

      // Another instance records a change while this one is cut off: it is applied on reconnect.
      await redis.restart();
      const other = redisState({ url: redis.url, keyPrefix: prefix });
      await other.connect();
      await other.fleetLog.append({ name: 'probe-tool', key: 'tool:missed', args: { name: 'missed' } });
      await other.close();
      const deadline = Date.now() + 5_000;
      while (registry.getTool('missed') === undefined && Date.now() < deadline) await settle(50);
      assert.ok(registry.getTool('missed'), 'the missed change was applied after reconnecting');
      assert.equal((await health.isHealthy('mcp'))['mcp'].status, 'up');
    } finally {
      await server.close();
      await redis.kill();
    }
  });
});
