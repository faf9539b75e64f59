import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { EDITOR_TOKEN, ExampleFleet } from './support/example-fleet.js';
import { callTool } from './support/modern-http.js';
import { deleteKeys, SHARED_REDIS_URL, testKeyPrefix } from './support/redis-server.js';
import { RawChannel, RawSession, SseReader } from './support/session-http.js';

const EDITOR = { authorization: `Bearer ${EDITOR_TOKEN}` };
const TOOLS_CHANGED = 'notifications/tools/list_changed';
const isElicitation = (message: any) => message.method === 'elicitation/create';

/** The entry ids of a session's GET stream in Redis (every event written to it). */
async function storedGetEvents(prefix: string, sessionId: string): Promise<string[]> {
  const redis = new Redis(SHARED_REDIS_URL);
  try {
    const entries = await redis.xrange(`${prefix}{sess:${sessionId}}:ev:get`, '-', '+');
    return entries.map(([entry]) => `${sessionId}/get#${entry}`);
  } finally {
    redis.disconnect();
  }
}

describe('losing an instance (kill -9) of a fleet serving 2025-11-25 sessions', () => {
  const prefix = testKeyPrefix('loss');
  let fleet: ExampleFleet;
  let direct: string[];

  before(async () => {
    fleet = await ExampleFleet.start(SHARED_REDIS_URL, prefix, 5);
    direct = fleet.instances.map((instance) => instance.url);
  });
  after(async () => {
    await fleet?.stop();
    await deleteKeys(SHARED_REDIS_URL, prefix);
  });

  it('the GET stream resumes on another instance with every event written to it', async () => {
    const [holder, home, other] = direct as [string, string, string];
    const session = await RawSession.open(home);
    const get = await session.get(holder);
    assert.equal(get.status, 200);
    const stream = new SseReader(get);
    const priming = await stream.next();
    assert.ok(priming?.id !== undefined && priming.data === undefined, 'a priming event first');
    const received: string[] = [];
    for (const tag of ['one', 'two', 'three']) {
      const added = await callTool(other, 'add_tag_shortcut', { tag }, { headers: EDITOR });
      assert.equal(added.result?.isError, undefined, JSON.stringify(added));
      const [changed] = await stream.until((message) => message.method === TOOLS_CHANGED);
      received.push(changed!.id!);
    }
    fleet.instances[0]!.kill();
    await fleet.instances[0]!.exited;
    const written = await storedGetEvents(prefix, session.sessionId);
    assert.deepEqual(written, [priming.id, ...received], 'what the client got is what was written');

    // The client lost its stream right after the priming event: everything written since comes back.
    const resumed = await session.get(other, priming.id);
    assert.equal(resumed.status, 200);
    const replay = new SseReader(resumed);
    const replayed: string[] = [];
    for (let index = 0; index < received.length; index++) {
      const event = await replay.next();
      assert.equal(event?.data?.method, TOOLS_CHANGED, JSON.stringify(event));
      replayed.push(event!.id!);
    }
    assert.deepEqual(replayed, received);
    // The instance that took the stream over forwards the events from now on.
    const added = await callTool(home, 'add_tag_shortcut', { tag: 'four' }, { headers: EDITOR });
    assert.equal(added.result?.isError, undefined, JSON.stringify(added));
    const [live] = await replay.until((message) => message.method === TOOLS_CHANGED);
    assert.ok(live!.id!.startsWith(`${session.sessionId}/get#`));
    replay.cancel();
    assert.equal(await session.ping(home), 200, 'the session id stays valid');
  });

  it('a request running on a killed instance ends with an error on the resumed stream, never a hang', async () => {
    const [, home, other, runner] = direct as [string, string, string, string];
    const session = await RawSession.open(home);
    const { id, stream } = await session.streamTool(runner, 'draft_note');
    const asked = (await stream.until(isElicitation)).findLast((event) => event.data !== undefined)!;
    fleet.instances[3]!.kill();
    await fleet.instances[3]!.exited;
    const killedAt = Date.now();
    const resumed = await session.get(other, asked.id);
    assert.equal(resumed.status, 200);
    const events = await new SseReader(resumed).rest(15_000);
    const answer = events.find((event) => event.data?.id === id);
    assert.ok(answer, JSON.stringify(events));
    assert.equal(answer.data.error.code, -32603);
    assert.match(answer.data.error.message, /stopped before answering/);
    // Within the liveness key's lifetime (5 s) and one check (1 s).
    assert.ok(Date.now() - killedAt < 8_000, `took ${Date.now() - killedAt} ms`);
    assert.equal(await session.ping(other), 200, 'the session id stays valid');
  });

  it('a polling request running on a killed instance is answered with an error by the next poll elsewhere', async () => {
    const [, home, other, , runner] = direct as [string, string, string, string, string];
    const channel = await RawChannel.open(home, {}, 1_000);
    await channel.send(other, {
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: {
        protocolVersion: '2025-11-25',
        capabilities: { elicitation: {} },
        clientInfo: { name: 'raw', version: '1' },
      },
    });
    await channel.pollUntil([home], (message) => message.id === 0);
    await channel.send(home, { jsonrpc: '2.0', method: 'notifications/initialized' });
    await channel.send(runner, {
      jsonrpc: '2.0',
      id: 7,
      method: 'tools/call',
      params: { name: 'draft_note', arguments: {} },
    });
    await channel.pollUntil([other], (message) => message.method === 'elicitation/create');
    fleet.instances[4]!.kill();
    await fleet.instances[4]!.exited;
    const killedAt = Date.now();
    const messages = await channel.pollUntil([other, home], (message) => message.id === 7, 15_000);
    const answer = messages.find((message) => message.id === 7);
    assert.equal(answer.error.code, -32603, JSON.stringify(answer));
    assert.ok(Date.now() - killedAt < 9_000, `took ${Date.now() - killedAt} ms`);
    assert.equal((await channel.poll(home)).status, 200, 'the channel id stays valid');
  });

  it('a polling channel whose opener died still gets list-changed, from the instance holding its poll', async () => {
    const [, opener, holder] = direct as [string, string, string];
    const channel = await RawChannel.open(opener, {}, 8_000);
    await channel.send(holder, {
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    });
    await channel.pollUntil([holder], (message) => message.id === 0);
    await channel.send(holder, { jsonrpc: '2.0', method: 'notifications/initialized' });
    fleet.instances[1]!.kill();
    await fleet.instances[1]!.exited;
    // The opener's liveness key expires (instanceTtlMs, 5 s).
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    const parked = channel.poll(holder);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const added = await callTool(holder, 'add_tag_shortcut', { tag: 'orphan' }, { headers: EDITOR });
    assert.equal(added.result?.isError, undefined, JSON.stringify(added));
    const { events } = await parked;
    assert.ok(
      events.some((message) => message.method === TOOLS_CHANGED),
      JSON.stringify(events),
    );
  });
});

describe('kill -9 of one of three instances under load through the balancer', () => {
  const prefix = testKeyPrefix('loss-load');
  let fleet: ExampleFleet;

  before(async () => {
    fleet = await ExampleFleet.start(SHARED_REDIS_URL, prefix);
  });
  after(async () => {
    await fleet?.stop();
    await deleteKeys(SHARED_REDIS_URL, prefix);
  });

  it('ends every request with an answer or a visible error, never a hang, and keeps every session', async (t) => {
    const sessions = await Promise.all(Array.from({ length: 12 }, () => RawSession.open(fleet.url)));
    const outcomes = { answered: 0, refused: 0, failed: 0 };
    const load = { running: true };
    const clients = sessions.map(async (session) => {
      while (load.running) {
        try {
          const response = await session.post(
            fleet.url,
            {
              jsonrpc: '2.0',
              id: 1,
              method: 'tools/call',
              params: { name: 'search_notes', arguments: { query: 'a' } },
            },
            AbortSignal.timeout(8_000),
          );
          const text = await response.text();
          if (response.status === 200 && text.includes('"result"')) outcomes.answered++;
          else outcomes.refused++;
        } catch (error) {
          // A hang would end here as a TimeoutError: that is the failure this test looks for.
          if ((error as Error).name === 'TimeoutError') throw new Error('a request hung', { cause: error });
          outcomes.failed++;
        }
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const answeredBeforeKill = outcomes.answered;
    fleet.instances[2]!.kill();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    load.running = false;
    await Promise.all(clients);
    t.diagnostic(`outcomes: ${JSON.stringify(outcomes)}`);
    assert.ok(
      outcomes.answered > answeredBeforeKill,
      `calls went on after the kill: ${JSON.stringify(outcomes)}`,
    );
    for (const session of sessions)
      assert.equal(await session.ping(fleet.url), 200, 'every session is still served');
  });
});
