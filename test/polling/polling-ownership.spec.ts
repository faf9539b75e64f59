import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { buildToolEntry, McpMetricsService, type McpModuleOptions } from 'nest-mcp';
import {
  collect,
  initializeRequest,
  openChannel,
  type PollingHarness,
  raw,
  POLLING,
  sendOn,
  startPolling,
} from './support/polling-harness.js';

/** A route guard that authenticates by a header: `x-user: alice` makes `req.user` `{ id: 'alice' }`. */
class HeaderUserGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<IncomingMessage & { user?: unknown }>();
    const name = req.headers['x-user'];
    if (typeof name === 'string') req.user = { id: name, loggedInAt: Date.now() };
    return true;
  }
}

const ALICE = { 'x-user': 'alice' };
const MALLORY = { 'x-user': 'mallory' };
const ping = (id: number) => ({ jsonrpc: '2.0', id, method: 'ping' });
const gateCall = (id: number) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name: 'gate', arguments: {} },
});

function pollAs(url: string, channelId: string, headers: Record<string, string>) {
  return raw(url, {
    headers: { ...POLLING, 'mcp-channel-id': channelId, accept: 'application/json', ...headers },
  });
}

function closeAs(url: string, channelId: string, headers: Record<string, string>) {
  return raw(url, { method: 'DELETE', headers: { ...POLLING, 'mcp-channel-id': channelId, ...headers } });
}

describe('Polling: a channel belongs to the principal that opened it', () => {
  let harness: PollingHarness;
  before(async () => {
    harness = await startPolling({ guards: [new HeaderUserGuard()] } as Partial<McpModuleOptions>);
  });
  after(() => harness.close());

  it('refuses another principal 404 on send, poll and close, as for an unknown channel', async () => {
    const opened = await openChannel(harness.url, {}, ALICE);
    assert.equal(opened.status, 201);
    const channelId = opened.body.channelId as string;

    const unknown = await pollAs(harness.url, '00000000-0000-4000-8000-000000000000', ALICE);
    for (const headers of [MALLORY, {}]) {
      const sent = await sendOn(harness.url, channelId, initializeRequest(), headers);
      assert.equal(sent.status, 404);
      assert.deepEqual(sent.body, unknown.body, 'indistinguishable from a channel that does not exist');
      assert.equal((await pollAs(harness.url, channelId, headers)).status, 404);
      assert.equal((await closeAs(harness.url, channelId, headers)).status, 404);
    }

    // The opener still has it, untouched: a fresh `req.user` with the same id is the same principal.
    assert.equal((await sendOn(harness.url, channelId, initializeRequest(), ALICE)).status, 202);
    const answered = await pollAs(harness.url, channelId, ALICE);
    assert.equal(answered.status, 200);
    assert.equal(answered.body.events[0].message.id, 1);
    assert.equal((await closeAs(harness.url, channelId, ALICE)).status, 204);
    assert.equal((await pollAs(harness.url, channelId, ALICE)).status, 404);
  });

  it('keeps anonymous channels for anonymous requests, and away from signed-in ones', async () => {
    const channelId = (await openChannel(harness.url)).body.channelId as string;
    assert.equal((await sendOn(harness.url, channelId, initializeRequest(), ALICE)).status, 404);
    assert.equal((await sendOn(harness.url, channelId, initializeRequest())).status, 202);
    const { events } = await collect(harness.url, channelId, 1);
    assert.equal(events[0]!.message.id, 1);
    assert.equal((await closeAs(harness.url, channelId, {})).status, 204);
  });
});

describe('Polling: principalKey decides who is the same principal', () => {
  let harness: PollingHarness;
  before(async () => {
    harness = await startPolling({
      guards: [new HeaderUserGuard()],
      // Everyone of one tenant shares channels: the key is the tenant, the part before the dot.
      polling: {
        principalKey: (user) => {
          const id = (user as { id: string } | undefined)?.id;
          if (id === 'boom') throw new Error('no key for this user');
          return id?.split('.')[0];
        },
      },
    } as Partial<McpModuleOptions>);
  });
  after(() => harness.close());

  it('lets requests with an equal key in and others not', async () => {
    const channelId = (await openChannel(harness.url, {}, { 'x-user': 'acme.alice' })).body
      .channelId as string;
    assert.equal(
      (await sendOn(harness.url, channelId, initializeRequest(), { 'x-user': 'acme.bob' })).status,
      202,
    );
    assert.equal((await pollAs(harness.url, channelId, { 'x-user': 'globex.eve' })).status, 404);
    assert.equal((await pollAs(harness.url, channelId, { 'x-user': 'acme.alice' })).status, 200);
  });

  it('opens no channel for a principal it cannot key (binding it to nobody or anybody would be wrong)', async () => {
    const refused = await openChannel(harness.url, {}, { 'x-user': 'boom' });
    assert.equal(refused.status, 500);
    assert.equal(refused.body.error.message, 'Internal error');
  });
});

describe('Polling: in-flight requests per channel', () => {
  let harness: PollingHarness;
  // Every `gate` call waits for the one gate to open.
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  before(async () => {
    harness = await startPolling();
    harness.catalog.addTool(buildToolEntry({ name: 'gate' }, () => gate.then(() => 'open')));
  });
  after(() => {
    release();
    return harness.close();
  });

  it('refuses the 65th concurrent request 503 with Retry-After and takes requests again once answered', async () => {
    const channelId = (await openChannel(harness.url)).body.channelId as string;
    assert.equal((await sendOn(harness.url, channelId, initializeRequest())).status, 202);
    let cursor = (await collect(harness.url, channelId, 1)).cursor;
    const initialized = { jsonrpc: '2.0', method: 'notifications/initialized' };
    assert.equal((await sendOn(harness.url, channelId, initialized)).status, 202);

    for (let id = 2; id < 66; id++) {
      assert.equal((await sendOn(harness.url, channelId, gateCall(id))).status, 202, `request ${id}`);
    }
    const refused = await sendOn(harness.url, channelId, gateCall(66));
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get('retry-after'), '1');
    assert.equal(refused.body.error.code, -32011);
    assert.equal(refused.body.id, 66, 'the refusal names the request it refuses');
    // Notifications (and answers to the server) are never refused: they free capacity or cost none.
    assert.equal((await sendOn(harness.url, channelId, initialized)).status, 202);
    assert.equal((await sendOn(harness.url, channelId, { jsonrpc: '2.0', id: 'x', result: {} })).status, 202);

    release();
    const answered = await collect(harness.url, channelId, 64, cursor);
    cursor = answered.cursor;
    assert.deepEqual(
      answered.events.map((event) => event.message.id).toSorted((a, b) => a - b),
      Array.from({ length: 64 }, (_, index) => index + 2),
      'the refused request never reached a handler',
    );
    assert.equal((await sendOn(harness.url, channelId, ping(67))).status, 202);
    const { events } = await collect(harness.url, channelId, 1, cursor);
    assert.equal(events[0]!.message.id, 67);
    const metrics = await harness.app.get(McpMetricsService).registry.metrics();
    assert.match(metrics, /mcp_connections_refused_total\{transport="polling",reason="in-flight"\} 1/);
  });
});

describe('Polling: maxInFlightPerChannel', () => {
  let harness: PollingHarness;
  before(async () => {
    harness = await startPolling({ polling: { maxInFlightPerChannel: 1 } });
  });
  after(() => harness.close());

  it('is the number of requests a channel may have in flight', async () => {
    const channelId = (await openChannel(harness.url)).body.channelId as string;
    assert.equal((await sendOn(harness.url, channelId, initializeRequest())).status, 202);
    const { cursor } = await collect(harness.url, channelId, 1);
    const slow = { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'slow', arguments: {} } };
    assert.equal((await sendOn(harness.url, channelId, slow)).status, 202);
    assert.equal((await sendOn(harness.url, channelId, ping(3))).status, 503);
    await sendOn(harness.url, channelId, {
      jsonrpc: '2.0',
      method: 'notifications/cancelled',
      params: { requestId: 2 },
    });
    await harness.catalog.slowAborted;
    // The cancelled call leaves the in-flight set as its handler settles.
    let status = 503;
    for (let tries = 0; status === 503 && tries < 50; tries++) {
      status = (await sendOn(harness.url, channelId, ping(4))).status;
      if (status === 503) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(status, 202);
    const { events } = await collect(harness.url, channelId, 1, cursor);
    assert.equal(events[0]!.message.id, 4, 'the cancelled request gets no answer; the ping does');
  });
});
