import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { redisStateOptions } from 'nest-mcp/redis';
import {
  LEGACY_HEADERS,
  LEGACY_INITIALIZE,
  startHttp,
  type HttpHarness,
} from '../http/support/http-harness.js';
import { FLEET_REQUEST_STATE_KEY } from './support/example-fleet.js';
import { OwnRedisServer, testKeyPrefix } from './support/redis-server.js';
import { RawChannel, RawSession, SseReader } from './support/session-http.js';

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await settle(100);
  }
}

describe('sessions and channels of two apps across a restart of their Redis (append-only, fsync always)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nest-mcp-redis-'));
  let redis: OwnRedisServer;
  let a: HttpHarness;
  let b: HttpHarness;

  before(async () => {
    redis = await OwnRedisServer.start({ persistDir: dir });
    const keyPrefix = testKeyPrefix('restart');
    const options = () => ({
      ...redisStateOptions({
        url: redis.url,
        keyPrefix,
        requestStateKeys: [FLEET_REQUEST_STATE_KEY],
        maxReconnectDelayMs: 200,
      }),
    });
    a = await startHttp(options());
    b = await startHttp(options());
  });
  after(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await redis?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 -32011 at once while Redis is away, and serves every session, stream and channel it acknowledged after', async () => {
    const session = await RawSession.open(a.url);
    const { id, stream } = await session.streamTool(b.url, 'progress');
    const events = await stream.rest();
    assert.ok(
      events.some((event) => event.data?.id === id),
      JSON.stringify(events),
    );
    const firstId = events.find((event) => event.id !== undefined)!.id!;
    const channel = await RawChannel.open(b.url, {}, 0);

    await redis.kill();
    await settle(200);
    for (const url of [a.url, b.url]) {
      const started = Date.now();
      const { response } = await session.request(url, 'tools/list');
      assert.equal(response.status, 503);
      const body = await response.json();
      assert.equal(body.error.code, -32011);
      assert.match(body.error.message, /Shared state unavailable/);
      assert.ok(Date.now() - started < 2_000, 'refused at once, not after a wait');
    }
    const refusedOpen = await fetch(a.url, {
      method: 'POST',
      headers: LEGACY_HEADERS,
      body: JSON.stringify(LEGACY_INITIALIZE),
    });
    assert.equal(refusedOpen.status, 503);
    assert.equal((await channel.poll(a.url)).status, 503);

    await redis.restart();
    await waitUntil(async () => (await session.ping(b.url)) === 200, 8_000);
    assert.equal(await session.ping(a.url), 200, 'the session acknowledged before the outage is back on A');
    const replay = new SseReader(await session.get(a.url, firstId));
    const replayed = await replay.rest();
    assert.ok(
      replayed.some((event) => event.data?.id === id),
      `the stored events replay: ${JSON.stringify(replayed)}`,
    );
    assert.equal((await channel.poll(a.url)).status, 200, 'the channel is back too');
  });
});
