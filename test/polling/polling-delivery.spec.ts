import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client as ClientV2 } from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { PollingClientTransport } from '../../libs/mcp/src/client/transports/polling-client.transport.js';
import { modernHeaders } from '../http/support/http-harness.js';
import { startApp, type WsHarness } from '../websocket/support/ws-harness.js';
import {
  BufferingProxy,
  collect,
  initializeRequest,
  lossyFetch,
  openChannel,
  type PollingHarness,
  pollOn,
  sendOn,
  startPolling,
  delay,
  textOf,
  waitUntil,
} from './support/polling-harness.js';

const ping = (id: number) => ({ jsonrpc: '2.0', id, method: 'ping' });

/** Opens a channel and completes the 2025 handshake on it; returns the id and the cursor after it. */
async function legacyChannel(url: string): Promise<{ channelId: string; cursor: number }> {
  const opened = await openChannel(url);
  assert.equal(opened.status, 201);
  const channelId = opened.body.channelId as string;
  assert.equal((await sendOn(url, channelId, initializeRequest())).status, 202);
  const { cursor } = await collect(url, channelId, 1);
  assert.equal(
    (await sendOn(url, channelId, { jsonrpc: '2.0', method: 'notifications/initialized' })).status,
    202,
  );
  return { channelId, cursor };
}

describe('Polling delivery: nothing lost, nothing twice, complete bounded answers', () => {
  let harness: PollingHarness;
  before(async () => {
    harness = await startPolling({ polling: { maxBatchEvents: 2, pollTimeoutMs: 2_000 } });
  });
  after(() => harness.close());

  it('sends again what a lost answer carried, and never what the cursor acknowledged', async () => {
    const { channelId, cursor } = await legacyChannel(harness.url);
    assert.equal(cursor, 1);
    await sendOn(harness.url, channelId, ping(2));
    const first = await pollOn(harness.url, channelId, cursor);
    assert.deepEqual(
      first.body.events.map((event: { id: number }) => event.id),
      [2],
    );
    // That answer was lost on the way: the client polls again with its old cursor.
    const again = await pollOn(harness.url, channelId, cursor);
    assert.deepEqual(again.body.events, first.body.events, 'the same event, same id, again');
    await sendOn(harness.url, channelId, ping(3));
    const next = await pollOn(harness.url, channelId, 2);
    assert.deepEqual(
      next.body.events.map((event: { id: number; message: { id: number } }) => [event.id, event.message.id]),
      [[3, 3]],
      'event 2 was acknowledged and is not sent twice',
    );
  });

  it('bounds every answer: at most maxBatchEvents, complete JSON with Content-Length, no stream', async () => {
    const { channelId, cursor } = await legacyChannel(harness.url);
    for (const id of [10, 11, 12, 13, 14]) await sendOn(harness.url, channelId, ping(id));
    const sizes: number[] = [];
    let at = cursor;
    const ids: number[] = [];
    while (ids.length < 5) {
      const answer = await pollOn(harness.url, channelId, at);
      assert.equal(answer.status, 200);
      assert.equal(answer.headers.get('content-type'), 'application/json');
      assert.equal(answer.headers.get('cache-control'), 'no-store');
      assert.equal(Number(answer.headers.get('content-length')), Buffer.byteLength(answer.text));
      sizes.push(answer.body.events.length);
      for (const event of answer.body.events) {
        ids.push(event.message.id);
        at = event.id;
      }
    }
    assert.deepEqual(sizes, [2, 2, 1]);
    assert.deepEqual(ids, [10, 11, 12, 13, 14]);
  });

  it('answers an older parked poll with an empty batch when a newer one arrives', async () => {
    const { channelId, cursor } = await legacyChannel(harness.url);
    const older = pollOn(harness.url, channelId, cursor);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const newer = pollOn(harness.url, channelId, cursor);
    const superseded = await older;
    assert.equal(superseded.status, 200);
    assert.deepEqual(superseded.body, { events: [] });
    await sendOn(harness.url, channelId, ping(20));
    const answered = await newer;
    assert.deepEqual(
      answered.body.events.map((event: { message: { id: number } }) => event.message.id),
      [20],
    );
  });

  it('answers an idle poll with an empty batch after the poll timeout (long poll, bounded)', async () => {
    const opened = await openChannel(harness.url, { pollTimeoutMs: 150 });
    assert.equal(opened.body.pollTimeoutMs, 150, 'a shorter poll timeout is granted');
    const clamped = await openChannel(harness.url, { pollTimeoutMs: 3_600_000 });
    assert.equal(clamped.body.pollTimeoutMs, 2_000, 'a longer one is clamped to the server maximum');
    const started = Date.now();
    const answer = await pollOn(harness.url, opened.body.channelId);
    assert.deepEqual(answer.body, { events: [] });
    assert.ok(Date.now() - started >= 140, 'the poll was held');
  });

  it('the client transport re-polls with its old cursor after a lost answer and delivers each event once', async () => {
    let dropNext = false;
    const lossy = lossyFetch((events) => {
      if (!dropNext || events === 0) return false;
      dropNext = false;
      return true;
    });
    const reconnects: Array<{ attempt: number; cursor: number }> = [];
    const transport = new PollingClientTransport(new URL(harness.url), {
      fetch: lossy.fetch,
      retryDelayMs: 10,
      onReconnect: (event) => reconnects.push({ attempt: event.attempt, cursor: event.cursor }),
    });
    const errors: string[] = [];
    const client = new ClientV2({ name: 'lossy', version: '1.0.0' });
    await client.connect(transport);
    // oxlint-disable-next-line unicorn/prefer-add-event-listener -- the SDK Transport shape has handler properties
    transport.onerror = (error) => errors.push(error.message);
    try {
      const delivered: unknown[] = [];
      const original = transport.onmessage!;
      transport.onmessage = (message, extra) => {
        delivered.push(message);
        original(message, extra);
      };
      const cursorBefore = transport.cursor;
      dropNext = true;
      const seen: string[] = [];
      const result = await client.callTool(
        { name: 'progress', arguments: {} },
        { onprogress: (update) => seen.push(`progress ${update.progress}`) },
      );
      seen.push(textOf(result));
      assert.deepEqual(seen, ['progress 1', 'progress 2', 'progressed']);
      assert.equal(lossy.dropped.length, 1, 'one answer was lost');
      assert.deepEqual(reconnects, [{ attempt: 1, cursor: cursorBefore }]);
      assert.equal(errors.length, 1);
      assert.equal(delivered.length, 3, 'two progress notifications and the result, each once');
      assert.equal(transport.cursor, cursorBefore + 3);
      for (const id of lossy.dropped[0]!.ids) assert.ok(id > cursorBefore && id <= transport.cursor);
    } finally {
      await client.close();
    }
  });

  it('the client transport ignores events it already has (a stale answer replayed by a middlebox)', async () => {
    let previous: string | undefined;
    let replay = false;
    const replaying: typeof fetch = async (input, init) => {
      if ((init?.method ?? 'GET') === 'GET' && replay && previous !== undefined) {
        replay = false;
        return new Response(previous, { status: 200, headers: { 'content-type': 'application/json' } });
      }
      const response = await fetch(input, init);
      if ((init?.method ?? 'GET') !== 'GET') return response;
      const text = await response.text();
      if (JSON.parse(text).events.length > 0) previous = text;
      return new Response(text, { status: response.status, headers: response.headers });
    };
    const transport = new PollingClientTransport(new URL(harness.url), { fetch: replaying });
    const client = new ClientV2({ name: 'replayed', version: '1.0.0' });
    await client.connect(transport);
    try {
      const delivered: unknown[] = [];
      const original = transport.onmessage!;
      transport.onmessage = (message, extra) => {
        delivered.push(message);
        original(message, extra);
      };
      assert.equal(textOf(await client.callTool({ name: 'echo', arguments: { text: 'one' } })), 'one');
      replay = true;
      assert.equal(textOf(await client.callTool({ name: 'echo', arguments: { text: 'two' } })), 'two');
      // The poll after that answer is served the same answer again, stale.
      await waitUntil(() => !replay);
      await delay(50);
      assert.equal(delivered.length, 2, 'the replayed result was not delivered again');
      assert.equal(textOf(await client.callTool({ name: 'echo', arguments: { text: 'three' } })), 'three');
      assert.equal(delivered.length, 3);
    } finally {
      await client.close();
    }
  });
});

describe('Polling through a proxy that buffers whole responses and refuses event streams', () => {
  let app: WsHarness;
  let proxy: BufferingProxy;
  before(async () => {
    app = await startApp();
    proxy = await BufferingProxy.start(app.httpUrl);
  });
  after(async () => {
    await proxy.close();
    await app.close();
  });

  it('the proxy really breaks streaming: a Streamable HTTP call with progress gets 502', async () => {
    const answer = await fetch(proxy.url, {
      method: 'POST',
      headers: { ...modernHeaders('tools/call', 'summarize_notes'), accept: 'text/event-stream' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: {
          name: 'summarize_notes',
          arguments: {},
          _meta: {
            progressToken: 1,
            'io.modelcontextprotocol/protocolVersion': '2026-07-28',
            'io.modelcontextprotocol/clientCapabilities': {},
            'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '0' },
          },
        },
      }),
    });
    await answer.text();
    assert.equal(answer.status, 502);
  });

  it('serves the example app to the v2 (2026-07-28) and v1 clients over polling with progress', async () => {
    proxy.relayed.length = 0;
    const modern = new ClientV2(
      { name: 'proxied-v2', version: '1.0.0' },
      { versionNegotiation: { mode: { pin: '2026-07-28' } } },
    );
    await modern.connect(new PollingClientTransport(new URL(proxy.url)));
    try {
      assert.equal(modern.getProtocolEra(), 'modern');
      const created = await modern.callTool({
        name: 'create_note',
        arguments: { title: 'Through a buffering proxy', body: 'poll-marker', tags: ['poll'] },
      });
      assert.equal(created.isError, undefined);
      const progress: number[] = [];
      const summary = await modern.callTool(
        { name: 'summarize_notes', arguments: {} },
        { onprogress: (update) => progress.push(update.progress) },
      );
      assert.match(textOf(summary), /Through a buffering proxy/);
      assert.ok(progress.length >= 2, `progress updates: ${progress.length}`);
    } finally {
      await modern.close();
    }
    const legacy = new ClientV1({ name: 'proxied-v1', version: '1.0.0' });
    await legacy.connect(new PollingClientTransport(new URL(proxy.url)));
    try {
      const progress: number[] = [];
      const summary = await legacy.callTool({ name: 'summarize_notes' }, undefined, {
        onprogress: (update) => progress.push(update.progress),
      });
      assert.match(textOf(summary), /Through a buffering proxy/);
      assert.ok(progress.length >= 2, `progress updates: ${progress.length}`);
    } finally {
      await legacy.close();
    }
    const polled = proxy.relayed.filter((entry) => entry.method === 'GET');
    assert.ok(polled.length > 0);
    for (const entry of proxy.relayed) {
      assert.ok(!entry.contentType?.includes('text/event-stream'), 'no stream was ever answered');
      if (entry.bytes > 0) assert.equal(entry.contentType, 'application/json');
    }
  });
});
