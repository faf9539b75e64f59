import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ServerEventBus } from '@modelcontextprotocol/server';
import { MCP_CHANGE_BUS } from 'nest-mcp';
import { redisStateOptions } from 'nest-mcp/redis';
import {
  LEGACY_HEADERS,
  LEGACY_INITIALIZE,
  startHttp,
  type HttpHarness,
} from '../http/support/http-harness.js';
import { FLEET_REQUEST_STATE_KEY } from './support/example-fleet.js';
import { deleteKeys, SHARED_REDIS_URL, testKeyPrefix } from './support/redis-server.js';
import { RawChannel, RawSession, SseReader } from './support/session-http.js';

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Two apps sharing sessions on Redis under `prefix`. */
async function pair(
  prefix: string,
  http: Record<string, unknown> = {},
  polling: Record<string, unknown> = {},
): Promise<[HttpHarness, HttpHarness]> {
  const options = () => ({
    ...redisStateOptions({
      url: SHARED_REDIS_URL,
      keyPrefix: prefix,
      requestStateKeys: [FLEET_REQUEST_STATE_KEY],
    }),
    http,
    polling,
  });
  return [await startHttp(options()), await startHttp(options())];
}

describe('2025-11-25 sessions shared by two apps on Redis', () => {
  const prefix = testKeyPrefix('shared-sessions');
  let a: HttpHarness;
  let b: HttpHarness;
  before(async () => {
    [a, b] = await pair(prefix);
  });
  after(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await deleteKeys(SHARED_REDIS_URL, prefix);
  });

  it('applies a log level set on B to the handler running on A', async () => {
    const session = await RawSession.open(a.url);
    const { response } = await session.request(b.url, 'logging/setLevel', { level: 'error' });
    assert.equal(response.status, 200, await response.text());
    const { id, stream } = await session.streamTool(a.url, 'log');
    const messages = (await stream.rest()).map((event) => event.data).filter((data) => data !== undefined);
    const logged = messages.filter((message) => message.method === 'notifications/message');
    assert.deepEqual(
      logged.map((message) => message.params.level),
      ['error'],
      JSON.stringify(messages),
    );
    assert.ok(messages.some((message) => message.id === id));
  });

  it('forwards a resource update once, on the GET stream held on B, for a subscription made on A', async () => {
    const session = await RawSession.open(a.url);
    const get = new SseReader(await session.get(b.url));
    await get.next();
    const { response } = await session.request(a.url, 'resources/subscribe', { uri: 'test://fixed' });
    assert.equal(response.status, 200, await response.text());
    await settle(100);
    a.app.get<ServerEventBus>(MCP_CHANGE_BUS).publish({ kind: 'resource_updated', uri: 'test://fixed' });
    const [updated] = await get.until((message) => message.method === 'notifications/resources/updated');
    assert.equal(updated!.data.params.uri, 'test://fixed');
    b.app.get<ServerEventBus>(MCP_CHANGE_BUS).publish({ kind: 'tools_list_changed' });
    const events = await get.until((message) => message.method === 'notifications/tools/list_changed');
    assert.deepEqual(
      events.filter((event) => event.data !== undefined).length,
      1,
      'the replica on A does not send the update a second time',
    );
    get.cancel();
  });
});

describe('the session limit and the idle timeout hold across instances', () => {
  const prefix = testKeyPrefix('session-limits');
  let a: HttpHarness;
  let b: HttpHarness;
  before(async () => {
    [a, b] = await pair(prefix, { maxSessions: 2, sessionIdleTimeoutMs: 1_000 });
  });
  after(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await deleteKeys(SHARED_REDIS_URL, prefix);
  });

  it('refuses a third session on either instance with 503 -32011, and takes one after a DELETE', async () => {
    const first = await RawSession.open(a.url);
    await RawSession.open(b.url);
    for (const url of [a.url, b.url]) {
      const refused = await fetch(url, {
        method: 'POST',
        headers: LEGACY_HEADERS,
        body: JSON.stringify(LEGACY_INITIALIZE),
      });
      assert.equal(refused.status, 503);
      assert.equal((await refused.json()).error.code, -32011);
    }
    assert.equal(await first.delete(b.url), 200);
    assert.equal(await first.ping(a.url), 404, 'deleted on B, gone on A');
    await RawSession.open(a.url);
  });

  it('keeps a session used on B alive on A, and expires it on both once idle', async () => {
    await settle(1_200); // the sessions of the previous test expire
    const session = await RawSession.open(a.url);
    for (let round = 0; round < 3; round++) {
      await settle(500);
      assert.equal(await session.ping(round % 2 === 0 ? b.url : a.url), 200, `round ${round}`);
    }
    await settle(1_300);
    assert.equal(await session.ping(a.url), 404);
    assert.equal(await session.ping(b.url), 404);
  });
});

describe('polling channels shared by two apps on Redis: the limits hold across instances', () => {
  const prefix = testKeyPrefix('shared-channels');
  let a: HttpHarness;
  let b: HttpHarness;
  const meta = {
    'io.modelcontextprotocol/protocolVersion': '2026-07-28',
    'io.modelcontextprotocol/clientCapabilities': {},
    'io.modelcontextprotocol/clientInfo': { name: 'raw-polling', version: '1' },
  };
  const call = (id: number, name: string, args: Record<string, unknown> = {}) => ({
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name, arguments: args, _meta: meta },
  });

  before(async () => {
    [a, b] = await pair(
      prefix,
      {},
      {
        maxInFlightPerChannel: 1,
        channelIdleTimeoutMs: 1_000,
        maxQueuedBytes: 2_000,
        pollTimeoutMs: 300,
      },
    );
  });
  after(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await deleteKeys(SHARED_REDIS_URL, prefix);
  });

  it('counts the in-flight cap over both instances, and a cancellation on B frees the request running on A', async () => {
    const channel = await RawChannel.open(a.url, {}, 300);
    assert.equal((await channel.send(a.url, call(1, 'slow'))).status, 202);
    const refused = await channel.send(b.url, call(2, 'echo', { text: 'hi' }));
    assert.equal(refused.status, 503);
    assert.equal(refused.body.error.code, -32011);
    const cancel = { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 1 } };
    assert.equal((await channel.send(b.url, cancel)).status, 202);
    let admitted = 0;
    for (let round = 0; round < 20 && admitted !== 202; round++) {
      await settle(50);
      admitted = (await channel.send(b.url, call(3, 'echo', { text: 'after' }))).status;
    }
    assert.equal(admitted, 202, 'the cancelled request no longer counts');
    const messages = await channel.pollUntil([a.url, b.url], (message) => message.id === 3);
    assert.ok(!messages.some((message) => message.id === 1), 'a cancelled request gets no answer');
  });

  it('ends a channel whose unacknowledged messages pass the bound, for every instance', async () => {
    const channel = await RawChannel.open(a.url, {}, 300);
    const big = 'x'.repeat(1_500);
    assert.equal((await channel.send(a.url, call(1, 'echo', { text: big }))).status, 202);
    await settle(100);
    await channel.send(b.url, call(2, 'echo', { text: big }));
    await settle(200);
    const polled = await channel.poll(b.url);
    assert.ok(polled.status === 404 || polled.closed === true, JSON.stringify(polled.body));
    assert.equal((await channel.poll(a.url)).status, 404);
  });

  it('expires a channel whose client stopped polling, and cancels the request it left running on A', async () => {
    // The catalog's own promise settled in an earlier test: listen afresh.
    const aborted = new Promise((resolve) => {
      const original = a.catalog.onSlowAborted.bind(a.catalog);
      a.catalog.onSlowAborted = (reason) => {
        original(reason);
        resolve(reason);
      };
    });
    const channel = await RawChannel.open(b.url, {}, 0);
    assert.equal((await channel.send(a.url, call(1, 'slow'))).status, 202);
    assert.equal(await aborted, 'server shutting down');
    assert.equal((await channel.poll(b.url)).status, 404);
  });

  it('keeps a channel polled on B alive for A, and expires it on both once idle', async () => {
    const channel = await RawChannel.open(a.url, {}, 0);
    for (let round = 0; round < 3; round++) {
      await settle(500);
      assert.equal((await channel.poll(round % 2 === 0 ? b.url : a.url)).status, 200, `round ${round}`);
    }
    await settle(1_500);
    assert.equal((await channel.poll(a.url)).status, 404);
    assert.equal((await channel.poll(b.url)).status, 404);
  });
});
