import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { McpMetricsService } from 'nest-mcp';
import {
  LEGACY_HEADERS as HEADERS,
  LEGACY_INITIALIZE as INITIALIZE,
  post,
  startHttp,
  type HttpHarness,
} from '../http/support/http-harness.js';
import { routePath } from '../support/test-platform.js';

/** One sample of the Prometheus route's text (0 when the series is absent). */
async function sample(harness: HttpHarness, metric: string, labels: string): Promise<number> {
  const response = await fetch(new URL(routePath('/metrics'), harness.url));
  assert.equal(response.status, 200);
  const line = (await response.text()).split('\n').find((l) => l.startsWith(`${metric}{${labels}}`));
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

const sessions = (harness: HttpHarness) =>
  sample(harness, 'mcp_sessions', 'transport="streamable-http",era="legacy"');
const sseStreams = (harness: HttpHarness) => sample(harness, 'mcp_open_connections', 'transport="sse"');
const messages = (harness: HttpHarness, direction: 'in' | 'out') =>
  sample(harness, 'mcp_messages_total', `transport="streamable-http",direction="${direction}"`);
const refused = (harness: HttpHarness, reason: string) =>
  sample(harness, 'mcp_connections_refused_total', `transport="streamable-http",reason="${reason}"`);

async function initialize(harness: HttpHarness): Promise<string> {
  const response = await post(harness.url, INITIALIZE, HEADERS);
  assert.equal(response.status, 200);
  await response.text();
  return response.headers.get('mcp-session-id')!;
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The Streamable HTTP transport's metrics, read through the opt-in Prometheus route. */
describe('Streamable HTTP metrics', () => {
  it('shows 2025 sessions, SSE streams, messages and refusals moving', async () => {
    const harness = await startHttp({ metrics: { route: '/metrics' }, http: { maxSessions: 1 } });
    try {
      assert.equal(await sessions(harness), 0);
      const sessionId = await initialize(harness);
      assert.equal(await sessions(harness), 1);
      const inSession = { ...HEADERS, 'mcp-session-id': sessionId };
      const initialized = await post(
        harness.url,
        { jsonrpc: '2.0', method: 'notifications/initialized' },
        inSession,
      );
      assert.equal(initialized.status, 202);
      const list = await post(harness.url, { jsonrpc: '2.0', id: 1, method: 'tools/list' }, inSession);
      await list.text();
      assert.equal(await messages(harness, 'in'), 3);
      assert.equal(await messages(harness, 'out'), 2);

      const abort = new AbortController();
      const stream = await fetch(harness.url, {
        headers: { accept: 'text/event-stream', 'mcp-session-id': sessionId },
        signal: abort.signal,
      });
      assert.equal(stream.status, 200);
      assert.equal(await sseStreams(harness), 1);
      abort.abort();
      await delay(50);
      assert.equal(await sseStreams(harness), 0);

      // A POST answered as a stream opens and closes one too, and its event is a message out.
      const streamed = await post(
        harness.url,
        { jsonrpc: '2.0', id: 2, method: 'tools/list' },
        {
          ...inSession,
          accept: 'text/event-stream',
        },
      );
      assert.match(streamed.headers.get('content-type') ?? '', /text\/event-stream/);
      await streamed.text();
      await delay(50);
      assert.equal(await sseStreams(harness), 0);
      assert.equal(await messages(harness, 'out'), 3);

      const full = await post(harness.url, INITIALIZE, HEADERS);
      assert.equal(full.status, 503);
      await full.text();
      assert.equal(await refused(harness, 'capacity'), 1);
      const foreign = await post(harness.url, INITIALIZE, { ...HEADERS, origin: 'https://evil.example' });
      assert.equal(foreign.status, 403);
      await foreign.text();
      assert.equal(await refused(harness, 'origin'), 1);

      const ended = await fetch(harness.url, { method: 'DELETE', headers: { 'mcp-session-id': sessionId } });
      assert.equal(ended.status, 200);
      assert.equal(await sessions(harness), 0);
    } finally {
      await harness.close();
    }
  });

  it('counts a session once: not after a failed handshake, and down again when it idles out', async () => {
    const harness = await startHttp({ metrics: { route: '/metrics' }, http: { sessionIdleTimeoutMs: 100 } });
    try {
      const unsupported = { ...INITIALIZE, params: { ...INITIALIZE.params, capabilities: 'none' } };
      const failed = await post(harness.url, unsupported, HEADERS);
      assert.ok('error' in ((await failed.json()) as object));
      assert.equal(await sessions(harness), 0);
      await initialize(harness);
      assert.equal(await sessions(harness), 1);
      await delay(400);
      assert.equal(await sessions(harness), 0);
    } finally {
      await harness.close();
    }
  });

  it('drops every session and stream from the gauges on shutdown', async () => {
    const harness = await startHttp({ metrics: { route: '/metrics' } });
    const sessionId = await initialize(harness);
    const stream = await fetch(harness.url, {
      headers: { accept: 'text/event-stream', 'mcp-session-id': sessionId },
    });
    assert.equal(stream.status, 200);
    assert.equal(await sseStreams(harness), 1);
    const registry = harness.app.get(McpMetricsService).registry;
    await harness.close();
    const text = await registry.metrics();
    assert.match(text, /mcp_sessions\{transport="streamable-http",era="legacy"\} 0/);
    assert.match(text, /mcp_open_connections\{transport="sse"\} 0/);
  });
});
