import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { McpMetricsService } from 'nest-mcp';
import {
  type HttpHarness,
  LEGACY_HEADERS,
  LEGACY_INITIALIZE,
  modernMeta,
  post,
  startHttp,
} from './support/http-harness.js';

/**
 * SSE streams have a bound on unsent data (issue 9, item 8): a reader that stops reading is
 * cut once the bound is passed, the cut is metered, and a 2025 client resumes without loss.
 */

const CAP = 256 * 1024;
/** Enough to fill the loopback socket buffers many times over (900 x 32 KiB), within the event store's 1,000 events a stream. */
const FLOOD = { count: 900, size: 32_768 };

/** A client that sends one POST and reads nothing past `readUntil` (then stops reading). */
async function stalledPost(
  url: string,
  headers: Record<string, string>,
  body: unknown,
  readUntil: RegExp,
): Promise<{ socket: Socket; head: string }> {
  const { hostname, port, pathname } = new URL(url);
  const socket = connect(Number(port), hostname);
  const text = JSON.stringify(body);
  const lines = [
    `POST ${pathname} HTTP/1.1`,
    `host: ${hostname}:${port}`,
    `content-length: ${Buffer.byteLength(text)}`,
  ];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  socket.write(`${lines.join('\r\n')}\r\n\r\n${text}`);
  let head = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      head += chunk.toString('utf8');
      if (readUntil.test(head)) {
        socket.off('data', onData);
        socket.pause();
        resolve();
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
  return { socket, head };
}

/**
 * GETs the stream from `lastEventId` again and again (each time from the last id received)
 * until the answer to `requestId` arrives; returns every message once, in order.
 */
async function resumeUntilAnswered(
  url: string,
  sessionId: string,
  lastEventId: string,
  requestId: string,
): Promise<Array<Record<string, any>>> {
  const messages: Array<Record<string, any>> = [];
  let cursor = lastEventId;
  for (let attempt = 0; attempt < 50; attempt++) {
    const response = await fetch(url, {
      headers: { accept: 'text/event-stream', 'mcp-session-id': sessionId, 'last-event-id': cursor },
    });
    assert.equal(response.status, 200);
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += Buffer.from(chunk).toString('utf8');
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const id = /^id: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (id !== undefined) cursor = id;
          if (data !== undefined) messages.push(JSON.parse(data) as Record<string, any>);
        }
      }
    } catch {
      // Cut again mid-stream: resume from the last complete event.
    }
    if (messages.some((message) => message['id'] === requestId)) return messages;
  }
  throw new Error('the answer never arrived');
}

async function droppedSlowConsumers(server: HttpHarness): Promise<number> {
  const metric = await server.app
    .get(McpMetricsService)
    .registry.getSingleMetric('mcp_connections_dropped_total')!
    .get();
  return (
    metric.values.find(
      (value) => value.labels['transport'] === 'sse' && value.labels['reason'] === 'slow-consumer',
    )?.value ?? 0
  );
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('SSE back-pressure', () => {
  let server: HttpHarness;
  before(async () => {
    server = await startHttp({ http: { sseMaxBufferedBytes: CAP, streamAfterMs: 0 } });
  });
  after(() => server.close());

  it('2026: cuts a POST stream whose reader stopped, meters it, and keeps serving others', async () => {
    const before = await droppedSlowConsumers(server);
    const { socket } = await stalledPost(
      server.url,
      {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'tools/call',
        'mcp-name': 'flood',
      },
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: {
          name: 'flood',
          arguments: FLOOD,
          _meta: modernMeta({ 'io.modelcontextprotocol/logLevel': 'info' }),
        },
      },
      /text\/event-stream/,
    );
    await until(async () => (await droppedSlowConsumers(server)) === before + 1, 'the slow-consumer cut');
    socket.destroy();
    const other = await post(
      server.url,
      {
        jsonrpc: '2.0',
        id: 2,
        method: 'tools/call',
        params: { name: 'echo', arguments: { text: 'still here' }, _meta: modernMeta() },
      },
      {
        'content-type': 'application/json',
        accept: 'application/json',
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'tools/call',
        'mcp-name': 'echo',
      },
    );
    assert.equal((await other.json()).result.content[0].text, 'still here');
  });

  it('2025: the cut stream resumes with Last-Event-ID and every event written arrives', async () => {
    const opened = await post(server.url, LEGACY_INITIALIZE, LEGACY_HEADERS);
    await opened.text();
    const sessionId = opened.headers.get('mcp-session-id')!;
    const before = await droppedSlowConsumers(server);
    // Read up to the priming event's id, then stop reading.
    const { socket, head } = await stalledPost(
      server.url,
      { ...LEGACY_HEADERS, accept: 'text/event-stream', 'mcp-session-id': sessionId },
      { jsonrpc: '2.0', id: 'flood', method: 'tools/call', params: { name: 'flood', arguments: FLOOD } },
      /\nid: [^\n]+\n/,
    );
    const primingId = /\nid: ([^\n]+)\n/.exec(head)![1]!;
    await until(async () => (await droppedSlowConsumers(server)) === before + 1, 'the slow-consumer cut');
    socket.destroy();
    // The handler goes on and its events are stored. A client resumes from its last event id,
    // as often as it gets cut (a resumed stream carrying a live flood may be cut again).
    const events = await resumeUntilAnswered(server.url, sessionId, primingId, 'flood');
    const logs = events.filter((event) => event.method === 'notifications/message');
    assert.equal(logs.length, FLOOD.count, 'every log message written arrives once');
    assert.deepEqual(
      logs.map((event) => Number(String(event.params.data).split(' ')[0])),
      Array.from({ length: FLOOD.count }, (_, index) => index),
    );
    assert.equal(events.at(-1)!.id, 'flood');
    assert.equal(events.at(-1)!.result.content[0].text, 'flooded');
  });
});
