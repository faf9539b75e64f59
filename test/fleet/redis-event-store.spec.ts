import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import type { McpSharedState } from 'nest-mcp';
import { redisState } from 'nest-mcp/redis';
import { deleteKeys, SHARED_REDIS_URL, testKeyPrefix } from './support/redis-server.js';

const note = (n: number) =>
  ({ jsonrpc: '2.0', method: 'notifications/message', params: { n } }) as JSONRPCMessage;

describe('the Redis Streams event store', () => {
  const prefix = testKeyPrefix('event-store');
  let writer: McpSharedState;
  let reader: McpSharedState;

  before(async () => {
    writer = redisState({
      url: SHARED_REDIS_URL,
      keyPrefix: prefix,
      maxEventsPerStream: 10,
      eventTtlMs: 2_000,
    });
    reader = redisState({ url: SHARED_REDIS_URL, keyPrefix: prefix });
    await Promise.all([writer.connect(), reader.connect()]);
  });
  after(async () => {
    await Promise.all([writer?.close(), reader?.close()]);
    await deleteKeys(SHARED_REDIS_URL, prefix);
  });

  it('replays on another instance what one instance stored, and follows what it stores next', async () => {
    const store = writer.sessions!.events;
    const other = reader.sessions!.events;
    const first = await store.storeEvent('s1/a', note(1));
    await store.storeEvent('s1/a', note(2));
    assert.equal(await other.getStreamIdForEventId(first), 's1/a');
    const heard: unknown[] = [];
    const stop = await other.follow('s1/a', (_id, message) => heard.push(message));
    const replayed: unknown[] = [];
    await other.replayEventsAfter(first, { send: async (_id, message) => void replayed.push(message) });
    assert.deepEqual(replayed, [note(2)]);
    await store.storeEvent('s1/a', note(3));
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(heard, [note(3)]);
    stop();
  });

  it('refuses a resumption from an event trimmed away, rather than skipping events', async () => {
    const store = writer.sessions!.events;
    const first = await store.storeEvent('s2/a', note(0));
    // MAXLEN ~ trims whole nodes (100 entries): enough events to drop the first node.
    for (let n = 1; n <= 250; n++) await store.storeEvent('s2/a', note(n));
    await assert.rejects(
      reader.sessions!.events.replayEventsAfter(first, { send: async () => undefined }),
      /no longer available/,
    );
    assert.equal(await reader.sessions!.events.getStreamIdForEventId('s2/a#not-an-id'), undefined);
  });

  it('drops a stream nobody wrote to for eventTtlMs', async () => {
    const id = await writer.sessions!.events.storeEvent('s3/a', note(1));
    await new Promise((resolve) => setTimeout(resolve, 2_300));
    assert.equal(await reader.sessions!.events.getStreamIdForEventId(id), undefined);
  });
});
