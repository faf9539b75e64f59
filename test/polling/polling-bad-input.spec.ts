import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { IncomingMessage } from 'node:http';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { McpMetricsService, type McpModuleOptions, McpPollingService } from 'nest-mcp';
import {
  collect,
  delay,
  initializeRequest,
  openChannel,
  POLLING,
  type PollingHarness,
  pollOn,
  raw,
  sendOn,
  startPolling,
  waitUntil,
} from './support/polling-harness.js';

const ping = (id: number) => ({ jsonrpc: '2.0', id, method: 'ping' });

function assertWireError(answer: { status: number; body: any }, status: number, code: number): void {
  assert.equal(answer.status, status, JSON.stringify(answer.body));
  assert.equal(answer.body?.jsonrpc, '2.0');
  assert.equal(answer.body.error.code, code);
}

describe('Polling: bad input on the wire', () => {
  let harness: PollingHarness;
  let channelId: string;
  before(async () => {
    harness = await startPolling({ polling: { maxChannels: 3 } });
    const opened = await openChannel(harness.url);
    assert.equal(opened.status, 201);
    assert.equal(opened.headers.get('mcp-channel-id'), opened.body.channelId);
    assert.match(opened.body.channelId, /^[0-9a-f-]{36}$/);
    channelId = opened.body.channelId;
  });
  after(() => harness.close());

  it('malformed JSON: 400 with -32700', async () => {
    assertWireError(await sendOn(harness.url, channelId, '{"jsonrpc": "2.0", "id": 1,'), 400, -32700);
  });

  it('JSON that is not one JSON-RPC message: 400 with -32600 (objects, batches, scalars)', async () => {
    assertWireError(await sendOn(harness.url, channelId, { hello: 'world' }), 400, -32600);
    assertWireError(await sendOn(harness.url, channelId, [ping(1), ping(2)]), 400, -32600);
    assertWireError(await sendOn(harness.url, channelId, '42'), 400, -32600);
    const invalidId = await sendOn(harness.url, channelId, { jsonrpc: '2.0', id: 7, method: 5 });
    assertWireError(invalidId, 400, -32600);
    assert.equal(invalidId.body.id, 7);
  });

  it('unknown channel: 404 (-32001) for send, poll and close; no channel on a poll: 400', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    assertWireError(await sendOn(harness.url, unknown, ping(1)), 404, -32001);
    assertWireError(await pollOn(harness.url, unknown), 404, -32001);
    assertWireError(
      await raw(harness.url, { method: 'DELETE', headers: { ...POLLING, 'mcp-channel-id': unknown } }),
      404,
      -32001,
    );
    assertWireError(
      await raw(harness.url, { headers: { ...POLLING, accept: 'application/json' } }),
      400,
      -32600,
    );
  });

  it('Content-Type and Accept as on Streamable HTTP: 415 for a non-JSON send, 406 for a poll that refuses JSON', async () => {
    const textBody = await raw(harness.url, {
      method: 'POST',
      headers: { ...POLLING, 'mcp-channel-id': channelId, 'content-type': 'text/plain' },
      body: JSON.stringify(ping(1)),
    });
    assert.equal(textBody.status, 415);
    const sseOnly = await raw(harness.url, {
      headers: { ...POLLING, 'mcp-channel-id': channelId, accept: 'text/event-stream' },
    });
    assert.equal(sseOnly.status, 406);
  });

  it('a cursor the channel never issued: 400', async () => {
    assertWireError(await pollOn(harness.url, channelId, 999), 400, -32600);
    const garbage = await raw(harness.url, {
      headers: {
        ...POLLING,
        'mcp-channel-id': channelId,
        accept: 'application/json',
        'last-event-id': 'abc',
      },
    });
    assertWireError(garbage, 400, -32600);
  });

  it('a body over limits.maxMessageBytes: 413', async () => {
    const huge = JSON.stringify({
      jsonrpc: '2.0',
      method: 'notifications/x',
      params: { pad: 'x'.repeat(4_300_000) },
    });
    assertWireError(await sendOn(harness.url, channelId, huge), 413, -32012);
  });

  it('an unknown Mcp-Transport value: 400 naming what is offered', async () => {
    const answer = await raw(harness.url, {
      method: 'POST',
      headers: {
        'mcp-transport': 'carrier-pigeon',
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: '{}',
    });
    assertWireError(answer, 400, -32600);
    assert.match(answer.body.error.message, /polling/);
  });

  it('foreign Origin and Host: 403', async () => {
    assertWireError(await openChannel(harness.url, {}, { origin: 'https://evil.example' }), 403, -32010);
    // fetch cannot forge Host: a plain node:http request can.
    const badHost = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(
        harness.url,
        { method: 'POST', headers: { ...POLLING, host: 'evil.example', 'content-type': 'application/json' } },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      request.on('error', reject);
      request.end('{}');
    });
    assert.equal(badHost, 403);
    assert.equal((await openChannel(harness.url, {}, { origin: 'http://localhost:3000' })).status, 201);
  });

  it('capacity: 503 with Retry-After once maxChannels are open, counted as a refusal', async () => {
    while (harness.app.get(McpPollingService).openChannels < 3) {
      assert.equal((await openChannel(harness.url)).status, 201);
    }
    const refused = await openChannel(harness.url);
    assertWireError(refused, 503, -32011);
    assert.equal(refused.headers.get('retry-after'), '5');
    const metrics = await harness.app.get(McpMetricsService).registry.metrics();
    assert.match(metrics, /mcp_connections_refused_total\{transport="polling",reason="capacity"\} 1/);
    assert.match(metrics, /mcp_open_connections\{transport="polling"\} 3/);
  });
});

/** A route guard: polling requests pass the route's guards like every other request on it. */
class BearerGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<IncomingMessage>();
    return req.headers.authorization === 'Bearer letmein';
  }
}

describe('Polling: route guards', () => {
  let harness: PollingHarness;
  before(async () => {
    harness = await startPolling({ guards: [new BearerGuard()] } as Partial<McpModuleOptions>);
  });
  after(() => harness.close());

  it('runs the route guards on open, send and poll', async () => {
    assert.equal((await openChannel(harness.url)).status, 403, 'as on the rest of the route');
    const auth = { authorization: 'Bearer letmein' };
    const opened = await openChannel(harness.url, {}, auth);
    assert.equal(opened.status, 201);
    const channelId = opened.body.channelId as string;
    assert.equal((await sendOn(harness.url, channelId, initializeRequest())).status, 403);
    assert.equal((await sendOn(harness.url, channelId, initializeRequest(), auth)).status, 202);
    const unauthorised = await raw(harness.url, {
      headers: { ...POLLING, 'mcp-channel-id': channelId, accept: 'application/json' },
    });
    assert.equal(unauthorised.status, 403);
  });
});

describe('Polling: switched off', () => {
  let harness: PollingHarness;
  before(async () => {
    harness = await startPolling({ transports: { polling: false } });
  });
  after(() => harness.close());

  it('answers 400 naming the extension as disabled; Streamable HTTP is unaffected', async () => {
    const answer = await openChannel(harness.url);
    assertWireError(answer, 400, -32600);
    assert.match(answer.body.error.message, /polling transport extension .* is disabled/);
    const plain = await raw(harness.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify(initializeRequest()),
    });
    assert.equal(plain.status, 200);
  });
});

describe('Polling: channel lifetime', () => {
  let harness: PollingHarness;
  before(async () => {
    harness = await startPolling({
      polling: { maxQueuedBytes: 4_000, channelIdleTimeoutMs: 1_000, pollTimeoutMs: 1_500 },
    });
  });
  after(() => harness.close());

  it('closes a channel whose client stopped polling once its queue passes maxQueuedBytes', async () => {
    const channelId = (await openChannel(harness.url)).body.channelId as string;
    await sendOn(harness.url, channelId, initializeRequest());
    let id = 2;
    let status = 202;
    while (status === 202 && id < 500) status = (await sendOn(harness.url, channelId, ping(id++))).status;
    assert.equal(status, 404, 'sends after the overflow find no channel');
    assert.ok(id > 20, `closed only after the queue filled (${id} messages)`);
    assertWireError(await pollOn(harness.url, channelId), 404, -32001);
  });

  it('closes an idle channel and cancels what it had in flight; a parked poll keeps it alive', async () => {
    const channelId = (await openChannel(harness.url)).body.channelId as string;
    await sendOn(harness.url, channelId, initializeRequest());
    const { cursor } = await collect(harness.url, channelId, 1);
    // A poll parked longer than the idle timeout: the client is there, the channel stays.
    const parked = await pollOn(harness.url, channelId, cursor);
    assert.deepEqual(parked.body, { events: [] });
    const sent = await sendOn(harness.url, channelId, {
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'slow', arguments: {} },
    });
    assert.equal(sent.status, 202, 'the channel outlived the parked poll');
    assert.equal(await harness.catalog.slowAborted, 'server shutting down');
    assertWireError(await pollOn(harness.url, channelId, cursor), 404, -32001);
  });
});

describe('Polling: shutdown', () => {
  it('hands the cancelled requests’ answers to the waiting poll marked closed, refuses new channels, then forgets the channel', async () => {
    const harness = await startPolling({ polling: { shutdownGraceMs: 1_000 } });
    const channelId = (await openChannel(harness.url)).body.channelId as string;
    await sendOn(harness.url, channelId, initializeRequest());
    const { cursor } = await collect(harness.url, channelId, 1);
    await sendOn(harness.url, channelId, {
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'slow', arguments: {} },
    });
    const service = harness.app.get(McpPollingService);
    const closing = harness.close();
    await waitUntil(() => (service as unknown as { closing: boolean }).closing);
    const refused = await openChannel(harness.url).catch(() => undefined);
    if (refused !== undefined) assertWireError(refused, 503, -32011);
    const final = await collect(harness.url, channelId, 10, cursor);
    assert.deepEqual(
      final.events.map((event) => event.message.id),
      [2],
      'the in-flight call was answered on the channel',
    );
    assert.equal(final.closed, true, 'the last answer says the channel is over');
    await closing;
    await delay(10);
    assert.equal(service.openChannels, 0);
  });
});
