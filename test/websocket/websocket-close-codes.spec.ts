import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { McpWebSocketService } from 'nest-mcp';
import { ProtocolConnection } from '../../libs/mcp/src/protocol/protocol-connection.js';
import { delay, RawClient, startApp, type WsHarness } from './support/ws-harness.js';

/** Bad input on an open socket: what is answered, and which close code ends what. */
describe('WebSocket frames and close codes', () => {
  let server: WsHarness;

  before(async () => {
    server = await startApp({
      websocket: {
        maxFrameBytes: 64 * 1024,
        maxBufferedBytes: 256 * 1024,
        idleTimeoutMs: 400,
        heartbeatIntervalMs: 0,
      },
    });
  });
  after(() => server.close());

  it('answers invalid JSON with -32700 (id null) and stays usable', async () => {
    const client = await RawClient.open(server.wsUrl);
    client.send('{"jsonrpc": "2.0", "id": 1, "method": ');
    await delay(50);
    assert.deepEqual(client.messages[0], {
      jsonrpc: '2.0',
      id: null,
      error: { code: -32700, message: 'Parse error: invalid JSON' },
    });
    const init = await client.initialize();
    assert.equal(init.result.serverInfo.name, 'ws-test');
    await client.close();
  });

  it('answers a JSON frame that is not JSON-RPC with -32600 and stays usable', async () => {
    const client = await RawClient.open(server.wsUrl);
    client.send('[1, 2, 3]');
    client.send('{"hello": "world"}');
    await delay(50);
    assert.deepEqual(
      client.messages.map((m) => m.error?.code),
      [-32600, -32600],
    );
    assert.ok((await client.initialize()).result);
    await client.close();
  });

  it('echoes a client close with 1000', async () => {
    const client = await RawClient.open(server.wsUrl);
    await client.initialize();
    const closed = await client.close(1000);
    assert.equal(closed.code, 1000);
  });

  it('closes with 1003 on a binary frame', async () => {
    const client = await RawClient.open(server.wsUrl);
    client.socket.send(Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' })));
    const closed = await client.closed;
    assert.equal(closed.code, 1003);
    assert.match(closed.reason, /binary/);
  });

  it('closes with 1009 on a frame over maxFrameBytes', async () => {
    const client = await RawClient.open(server.wsUrl);
    client.send(
      JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { pad: 'x'.repeat(70 * 1024) } }),
    );
    assert.equal((await client.closed).code, 1009);
  });

  it('closes with 1011 when the server fails internally, and keeps serving others', async () => {
    const other = await RawClient.open(server.wsUrl);
    await other.initialize();
    const original = ProtocolConnection.prototype.handleMessage;
    ProtocolConnection.prototype.handleMessage = function (this: ProtocolConnection, value, extra) {
      if ((value as { method?: string }).method === 'test/explode') throw new Error('simulated bug');
      return original.call(this, value, extra);
    };
    try {
      const client = await RawClient.open(server.wsUrl);
      client.send({ jsonrpc: '2.0', id: 1, method: 'test/explode' });
      const closed = await client.closed;
      assert.equal(closed.code, 1011);
    } finally {
      ProtocolConnection.prototype.handleMessage = original;
    }
    assert.ok((await other.request('tools/list')).result.tools.length >= 4);
    await other.close();
  });

  it('closes an idle socket with 1000 after idleTimeoutMs', async () => {
    const client = await RawClient.open(server.wsUrl);
    await client.initialize();
    const closed = await client.closed;
    assert.equal(closed.code, 1000);
    assert.equal(closed.reason, 'idle timeout');
  });

  it('closes a socket that stops reading (1008) once its buffer passes the cap; others are unaffected', async () => {
    const reader = await RawClient.open(server.wsUrl);
    await reader.initialize();
    const slow = await RawClient.open(server.wsUrl);
    await slow.initialize();
    for (let i = 0; i < 20; i++) {
      await slow.request('tools/call', {
        name: 'create_note',
        arguments: { title: `big ${i}`, body: 'z'.repeat(9_000) },
      });
    }
    (slow.socket as unknown as { _socket: { pause(): void } })._socket.pause();
    for (let i = 0; i < 400; i++) {
      slow.send({
        jsonrpc: '2.0',
        id: 1000 + i,
        method: 'tools/call',
        params: { name: 'search_notes', arguments: { query: 'big' } },
      });
    }
    const started = Date.now();
    while (Date.now() - started < 5000) {
      const answer = await reader.request('tools/call', {
        name: 'search_notes',
        arguments: { query: 'Welcome' },
      });
      assert.equal(answer.result.isError, undefined);
      if (server.app.get(McpWebSocketService).openConnections === 1) break;
      await delay(50);
    }
    assert.equal(server.app.get(McpWebSocketService).openConnections, 1, 'the slow socket was closed');
    (slow.socket as unknown as { _socket: { resume(): void } })._socket.resume();
    const closed = await slow.closed;
    assert.ok([1008, 1006].includes(closed.code), `close code ${closed.code}`);
    await reader.close();
  });
});
