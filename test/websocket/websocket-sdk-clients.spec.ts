import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { WebSocketClientTransport } from '@modelcontextprotocol/sdk/client/websocket.js';
import { WebSocket } from 'ws';
import { modernMeta, MODERN, RawClient, startApp, type WsHarness } from './support/ws-harness.js';

/**
 * The v1 SDK transport uses the WHATWG `WebSocket` global, which Node 20 lacks without a flag.
 * `ws` stands in, one message event per task as in browsers and Node 22 (the v1 client handles
 * notifications a microtask later than responses, so synchronous delivery of a progress
 * notification and its response from one TCP chunk would drop the progress).
 */
class WhatwgLikeWebSocket extends WebSocket {
  constructor(url: string | URL, protocols?: string | string[]) {
    super(url, protocols, { allowSynchronousEvents: false });
  }
}
(globalThis as { WebSocket?: unknown }).WebSocket ??= WhatwgLikeWebSocket;

/**
 * The example app over WebSocket, end to end: the official v1 SDK client (2025-11-25, its
 * `WebSocketClientTransport` unmodified) and a raw `ws` client speaking 2026-07-28, calling
 * the notes tools with progress and cancellation.
 */
describe('WebSocket transport with the example app', () => {
  let server: WsHarness;

  before(async () => {
    server = await startApp();
  });
  after(() => server.close());

  it('serves the v1 SDK WebSocketClientTransport (2025-11-25): tools, progress, cancellation', async () => {
    const client = new ClientV1({ name: 'v1-ws', version: '1.0.0' });
    await client.connect(new WebSocketClientTransport(new URL(server.wsUrl)));
    try {
      assert.equal(client.getServerVersion()?.name, 'notes-example');
      const { tools } = await client.listTools();
      assert.ok(tools.some((tool) => tool.name === 'summarize_notes'));
      const created = (await client.callTool({
        name: 'create_note',
        arguments: { title: 'Over a socket', body: 'ws-marker-one', tags: ['ws'] },
      })) as unknown as { structuredContent: { id: string } };
      const found = (await client.callTool({
        name: 'search_notes',
        arguments: { query: 'ws-marker-one' },
      })) as unknown as {
        structuredContent: { notes: Array<{ id: string }> };
      };
      assert.deepEqual(
        found.structuredContent.notes.map((note) => note.id),
        [created.structuredContent.id],
      );

      const progress: number[] = [];
      const summary = (await client.callTool({ name: 'summarize_notes' }, undefined, {
        onprogress: (update) => progress.push(update.progress),
      })) as { content: Array<{ text: string }> };
      assert.match(summary.content[0]!.text, /Over a socket/);
      assert.ok(progress.length >= 3, `progress updates: ${progress.length}`);

      const controller = new AbortController();
      await assert.rejects(
        client.callTool({ name: 'summarize_notes' }, undefined, {
          signal: controller.signal,
          onprogress: () => controller.abort('enough'),
        }),
      );
      // The connection is still good after the cancellation.
      assert.ok((await client.listTools()).tools.length >= 4);
    } finally {
      await client.close();
    }
  });

  it('serves a raw ws client speaking 2026-07-28: discover, tools/call with progress, cancellation', async () => {
    const client = await RawClient.open(server.wsUrl);
    try {
      assert.equal(client.socket.protocol, 'mcp');
      const discover = await client.request('server/discover', { _meta: modernMeta() });
      assert.ok(discover.result.supportedVersions.includes(MODERN), JSON.stringify(discover));

      const called = await client.request('tools/call', {
        name: 'summarize_notes',
        arguments: {},
        _meta: modernMeta({ progressToken: 'p1' }),
      });
      assert.equal(called.result.isError, undefined, JSON.stringify(called));
      const progress = client.messages.filter(
        (m) => m.method === 'notifications/progress' && m.params.progressToken === 'p1',
      );
      assert.ok(progress.length >= 2, `progress: ${progress.length}`);

      // Cancelled in the same breath: the handler sees the abort and the request is never answered.
      for (let i = 0; i < 30; i++) {
        await client.request('tools/call', {
          name: 'create_note',
          arguments: { title: `n${i}`, body: 'filler' },
          _meta: modernMeta(),
        });
      }
      client.send({
        jsonrpc: '2.0',
        id: 'to-cancel',
        method: 'tools/call',
        params: { name: 'summarize_notes', arguments: {}, _meta: modernMeta({ progressToken: 'p2' }) },
      });
      client.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'to-cancel' } });
      const listed = await client.request('tools/list', { _meta: modernMeta() });
      assert.ok(listed.result.tools.length >= 4);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(
        client.messages.some((m) => m.id === 'to-cancel'),
        false,
        'a cancelled request gets no answer',
      );
    } finally {
      await client.close();
    }
  });

  it('keeps a socket its own session: an HTTP request cannot address it', async () => {
    const client = await RawClient.open(server.wsUrl);
    await client.initialize();
    const response = await fetch(server.httpUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-session-id': 'anything-a-socket-might-be',
        'mcp-protocol-version': '2025-11-25',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    assert.equal(response.status, 404);
    await client.close();
  });
});
