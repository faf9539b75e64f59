import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import { InMemoryEventStore } from 'nest-mcp';

const note = (n: number): JSONRPCMessage => ({
  jsonrpc: '2.0',
  method: 'notifications/progress',
  params: { n },
});

async function replay(store: InMemoryEventStore, lastEventId: string) {
  const sent: Array<[string, JSONRPCMessage]> = [];
  const streamId = await store.replayEventsAfter(lastEventId, {
    send: async (eventId, message) => {
      sent.push([eventId, message]);
    },
  });
  return { streamId, sent };
}

describe('InMemoryEventStore', () => {
  it('replays the events of one stream after the given event', async () => {
    const store = new InMemoryEventStore();
    const first = await store.storeEvent('stream#a', note(1));
    await store.storeEvent('other', note(99));
    const second = await store.storeEvent('stream#a', note(2));
    await store.storeEvent('stream#a', note(3));
    assert.equal(await store.getStreamIdForEventId(first), 'stream#a');
    const { streamId, sent } = await replay(store, first);
    assert.equal(streamId, 'stream#a');
    assert.deepEqual(
      sent.map(([, message]) => (message as unknown as { params: { n: number } }).params.n),
      [2, 3],
    );
    assert.equal(sent[0]![0], second);
  });

  it('keeps memory bounded per stream and across streams, refusing lost positions', async () => {
    const store = new InMemoryEventStore({ maxEventsPerStream: 2, maxStreams: 2 });
    const ids = [];
    for (let n = 0; n < 5; n++) ids.push(await store.storeEvent('s', note(n)));
    await assert.rejects(replay(store, ids[0]!), /no longer available/);
    const { sent } = await replay(store, ids[2]!);
    assert.equal(sent.length, 2);
    await store.storeEvent('t', note(0));
    await store.storeEvent('u', note(0));
    assert.equal(
      await store.getStreamIdForEventId(ids[4]!),
      undefined,
      'least recently written stream evicted',
    );
    await assert.rejects(replay(store, 'garbage'), /Unknown event ID/);
  });
});
