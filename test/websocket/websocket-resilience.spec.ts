import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { McpWebSocketService } from 'nest-mcp';
import { delay, RawClient, startApp } from './support/ws-harness.js';

/** What one client does must not cost the others; shutdown closes every socket with 1001. */
describe('WebSocket resilience', () => {
  it('keeps serving other clients through a flood of frames, and loses none of the flood', async () => {
    const server = await startApp({ websocket: { maxInFlightPerConnection: 16 } });
    try {
      const flooder = await RawClient.open(server.wsUrl);
      await flooder.initialize();
      const other = await RawClient.open(server.wsUrl);
      await other.initialize();
      const total = 20_000;
      const flood = flooder.expect(total - 1);
      for (let i = 0; i < total; i++) flooder.send({ jsonrpc: '2.0', id: i, method: 'ping' });
      const latencies: number[] = [];
      for (let i = 0; i < 20; i++) {
        const started = performance.now();
        const answer = await other.request('tools/list');
        latencies.push(performance.now() - started);
        assert.ok(answer.result.tools.length >= 4);
      }
      await flood;
      assert.equal(flooder.messages.filter((m) => 'result' in m).length, total + 1, 'every ping answered');
      assert.ok(Math.max(...latencies) < 1000, `worst latency ${Math.max(...latencies).toFixed(0)} ms`);
      await Promise.all([flooder.close(), other.close()]);
    } finally {
      await server.close();
    }
  });

  it('survives an abrupt TCP reset mid-request; others are unaffected', async () => {
    const server = await startApp();
    try {
      const service = server.app.get(McpWebSocketService);
      const other = await RawClient.open(server.wsUrl);
      await other.initialize();
      const victim = await RawClient.open(server.wsUrl);
      await victim.initialize();
      victim.send({
        jsonrpc: '2.0',
        id: 9,
        method: 'tools/call',
        params: { name: 'summarize_notes', arguments: {} },
      });
      (victim.socket as unknown as { _socket: { resetAndDestroy(): void } })._socket.resetAndDestroy();
      await victim.closed;
      for (let i = 0; i < 50 && service.openConnections !== 1; i++) await delay(20);
      assert.equal(service.openConnections, 1);
      assert.ok((await other.request('tools/list')).result.tools.length >= 4);
      await other.close();
    } finally {
      await server.close();
    }
  });

  it('terminates a peer that stops answering pings', async () => {
    const server = await startApp({ websocket: { heartbeatIntervalMs: 100 } });
    try {
      const dead = await RawClient.open(server.wsUrl, 'mcp', { autoPong: false });
      const closed = await dead.closed;
      assert.equal(closed.code, 1006, 'terminated without a close frame');
    } finally {
      await server.close();
    }
  });

  it('on shutdown sends every socket 1001 after its in-flight requests were answered or cancelled', async () => {
    const server = await startApp({ websocket: { shutdownGraceMs: 1000 } });
    const clients = await Promise.all(Array.from({ length: 5 }, () => RawClient.open(server.wsUrl)));
    for (const client of clients) await client.initialize();
    const inFlight = clients[0]!.expect('last');
    clients[0]!.send({
      jsonrpc: '2.0',
      id: 'last',
      method: 'tools/call',
      params: { name: 'summarize_notes', arguments: {}, _meta: { progressToken: 'shutdown' } },
    });
    // Only a request the server has started on is in flight; one that arrives after the close
    // frame cannot be answered (no data frames may follow it).
    while (!clients[0]!.messages.some((m) => m.params?.progressToken === 'shutdown')) await delay(1);
    await server.close();
    const closes = await Promise.all(clients.map((client) => client.closed));
    assert.deepEqual(
      closes.map((closed) => closed.code),
      [1001, 1001, 1001, 1001, 1001],
    );
    assert.equal(closes[0]!.reason, 'server shutting down');
    const answer = await inFlight;
    assert.ok('result' in answer || 'error' in answer);
  });
});
