import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { McpHealthIndicator } from 'nest-mcp';
import { delay, RawClient, refusedUpgrade, startApp } from '../websocket/support/ws-harness.js';

function sample(text: string, metric: string, labels: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${metric}{${labels}}`));
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

/** The opt-in Prometheus route and the terminus indicator, watched while sockets come and go. */
describe('MCP metrics and health', () => {
  it('shows WebSocket connections, sessions, messages, refusals and request durations moving', async () => {
    const server = await startApp({ metrics: { route: '/metrics' }, websocket: { maxConnections: 2 } });
    const scrape = async () => {
      const response = await fetch(`${server.httpBase}/metrics`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /text\/plain/);
      return response.text();
    };
    try {
      assert.equal(sample(await scrape(), 'mcp_open_connections', 'transport="websocket"'), 0);
      const a = await RawClient.open(server.wsUrl);
      const b = await RawClient.open(server.wsUrl);
      await a.initialize();
      await a.request('tools/list');
      let text = await scrape();
      assert.equal(sample(text, 'mcp_open_connections', 'transport="websocket"'), 2);
      assert.equal(sample(text, 'mcp_sessions', 'transport="websocket",era="legacy"'), 1);
      assert.equal(sample(text, 'mcp_messages_total', 'transport="websocket",direction="in"'), 3);
      assert.equal(sample(text, 'mcp_messages_total', 'transport="websocket",direction="out"'), 2);
      assert.equal(
        sample(
          text,
          'mcp_request_duration_seconds_count',
          'transport="websocket",method="tools/list",outcome="ok"',
        ),
        1,
      );

      assert.equal((await refusedUpgrade(server.wsUrl)).status, 503);
      text = await scrape();
      assert.equal(
        sample(text, 'mcp_connections_refused_total', 'transport="websocket",reason="capacity"'),
        1,
      );

      await a.close();
      await b.close();
      await delay(50);
      text = await scrape();
      assert.equal(sample(text, 'mcp_open_connections', 'transport="websocket"'), 0);
      assert.equal(sample(text, 'mcp_sessions', 'transport="websocket",era="legacy"'), 0);
    } finally {
      await server.close();
    }
  });

  it('reports health through terminus: up while accepting, down at capacity', async () => {
    const server = await startApp({ websocket: { maxConnections: 1 } });
    try {
      const indicator = server.app.get(McpHealthIndicator);
      const up = await indicator.isHealthy('mcp');
      assert.equal(up['mcp'].status, 'up');
      const client = await RawClient.open(server.wsUrl);
      const down = await indicator.isHealthy('mcp');
      assert.equal(down['mcp'].status, 'down');
      assert.deepEqual((down['mcp'] as { websocket?: unknown }).websocket, {
        open: 1,
        max: 1,
        accepting: false,
      });
      await client.close();
    } finally {
      await server.close();
    }
  });
});
