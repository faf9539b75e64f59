import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import {
  type HttpHarness,
  JSON_AND_SSE,
  modernHeaders,
  modernMeta,
  parseSse,
  post,
  startHttp,
} from './support/http-harness.js';

async function initialize(url: string, capabilities: Record<string, unknown> = {}): Promise<string> {
  const response = await post(
    url,
    {
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities, clientInfo: { name: 'raw', version: '1' } },
    },
    { 'content-type': 'application/json', accept: JSON_AND_SSE },
  );
  await response.text();
  return response.headers.get('mcp-session-id')!;
}

function sessionHeaders(sessionId: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    accept: JSON_AND_SSE,
    'mcp-session-id': sessionId,
    'mcp-protocol-version': '2025-11-25',
  };
}

describe('2025 sessions: resumability with Last-Event-ID', () => {
  let harness: HttpHarness;
  before(async () => {
    harness = await startHttp();
  });
  after(() => harness.close());

  it('gives every SSE event an id and replays what followed a Last-Event-ID', async () => {
    const sessionId = await initialize(harness.url);
    const response = await post(
      harness.url,
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'progress', arguments: {}, _meta: { progressToken: 't' } },
      },
      sessionHeaders(sessionId),
    );
    assert.equal(response.headers.get('content-type'), 'text/event-stream');
    const events = parseSse(await response.text());
    assert.ok(
      events.every((event) => event.id !== undefined),
      'every event has an id',
    );
    const [priming, first, second, result] = events;
    assert.equal(priming!.data, undefined, 'the stream opens with a priming event');
    assert.equal(first!.data.params.progress, 1);
    assert.equal(second!.data.params.progress, 2);
    assert.equal(result!.data.id, 1);

    const resumed = await fetch(harness.url, {
      headers: { accept: 'text/event-stream', 'mcp-session-id': sessionId, 'last-event-id': first!.id! },
    });
    assert.equal(resumed.status, 200);
    const replayed = parseSse(await resumed.text());
    assert.deepEqual(
      replayed.map((event) => event.id),
      [second!.id, result!.id],
    );
    assert.equal(replayed[1]!.data.result.content[0].text, 'progressed');
  });

  it('refuses a Last-Event-ID of another session', async () => {
    const mine = await initialize(harness.url);
    const other = await initialize(harness.url);
    const response = await post(
      harness.url,
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'progress', arguments: {}, _meta: { progressToken: 't' } },
      },
      sessionHeaders(mine),
    );
    const [priming] = parseSse(await response.text());
    const stolen = await fetch(harness.url, {
      headers: { accept: 'text/event-stream', 'mcp-session-id': other, 'last-event-id': priming!.id! },
    });
    assert.equal(stolen.status, 400);
    await stolen.text();
  });
});

describe('2025 sessions: SSE polling (the server ends a stream after retry; the client resumes)', () => {
  let harness: HttpHarness;
  before(async () => {
    harness = await startHttp({ http: { ssePollingIntervalMs: 100 } });
  });
  after(() => harness.close());

  it("ends a long request's stream with retry, and the resumed GET carries the answer", async () => {
    const sessionId = await initialize(harness.url, { elicitation: {} });
    const response = await post(
      harness.url,
      { jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'ask-name', arguments: {} } },
      sessionHeaders(sessionId),
    );
    // The stream ends on its own (polling): priming with retry, then the elicitation request.
    const events = parseSse(await response.text());
    assert.equal(events[0]!.retry, 100);
    const elicitation = events.find((event) => event.data?.method === 'elicitation/create')!;
    assert.ok(elicitation, 'the server request travelled on the POST stream');
    const answered = await post(
      harness.url,
      { jsonrpc: '2.0', id: elicitation.data.id, result: { action: 'accept', content: { name: 'Lin' } } },
      sessionHeaders(sessionId),
    );
    assert.equal(answered.status, 202);
    const resumed = await fetch(harness.url, {
      headers: { accept: 'text/event-stream', 'mcp-session-id': sessionId, 'last-event-id': elicitation.id! },
    });
    const replayed = parseSse(await resumed.text());
    const result = replayed.find((event) => event.data?.id === 5)!;
    assert.equal(result.data.result.content[0].text, 'Hello Lin');
  });

  it('the v1 SDK client follows the polling and gets its result', async () => {
    const client = new ClientV1(
      { name: 'v1-polling', version: '1.0.0' },
      { capabilities: { elicitation: {} } },
    );
    const transport = new TransportV1(new URL(harness.url), {
      reconnectionOptions: {
        initialReconnectionDelay: 50,
        maxReconnectionDelay: 200,
        reconnectionDelayGrowFactor: 1,
        maxRetries: 5,
      },
    });
    await client.connect(transport);
    client.setRequestHandler(ElicitRequestSchema, async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return { action: 'accept', content: { name: 'Polly' } };
    });
    const result = await client.callTool({ name: 'ask-name', arguments: {} });
    assert.equal((result.content as Array<{ text: string }>)[0]!.text, 'Hello Polly');
    await transport.terminateSession();
    await client.close();
  });
});

describe('graceful shutdown', () => {
  it('ends open listens with their result and GET streams, then closes', async () => {
    const harness = await startHttp();
    const listen = await post(
      harness.url,
      {
        jsonrpc: '2.0',
        id: 'listen-1',
        method: 'subscriptions/listen',
        params: { notifications: { toolsListChanged: true }, _meta: modernMeta() },
      },
      modernHeaders('subscriptions/listen'),
    );
    assert.equal(listen.headers.get('content-type'), 'text/event-stream');
    const sessionId = await initialize(harness.url);
    const stream = await fetch(harness.url, {
      headers: { accept: 'text/event-stream', 'mcp-session-id': sessionId },
    });
    assert.equal(stream.status, 200);
    const started = Date.now();
    await harness.close();
    assert.ok(Date.now() - started < 4000, 'shutdown does not wait for clients to hang up');
    const events = parseSse(await listen.text());
    assert.equal(events[0]!.data.method, 'notifications/subscriptions/acknowledged');
    assert.equal(events.at(-1)!.data.id, 'listen-1', 'the listen got its closing result');
    await stream.text();
  });
});
