import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { McpFallbackClient, type McpFallbackClientOptions } from '../../libs/mcp/src/client/node.js';
import { startExampleServer, type ExampleServer } from './support/example-server.js';
import { printTimings, recordTiming } from './support/fallback-timings.js';
import { Middlebox, type MiddleboxBehaviour } from './support/middlebox.js';

/** Short budgets keep the suite quick; the defaults are measured in the last test. */
const FAST: McpFallbackClientOptions = { proofTimeoutMs: 1_000, timeouts: { websocket: 3_000 } };

let server: ExampleServer;
const boxes: Middlebox[] = [];
let toolSeq = 0;

before(async () => {
  server = await startExampleServer();
});
after(async () => {
  for (const box of boxes) await box.close();
  await server.close();
  printTimings(join(import.meta.dirname, 'fallback-timings.json'));
});

async function through(behaviour?: MiddleboxBehaviour): Promise<string> {
  if (behaviour === undefined) return `${server.origin}/mcp`;
  const box = await Middlebox.start(server.origin, behaviour);
  boxes.push(box);
  return `${box.origin}/mcp`;
}

interface Observed {
  readonly search: unknown;
  readonly progress: number[];
  readonly listChanged: boolean;
}

/** Connects, then checks a tool result, progress and a list-changed notification. */
async function exercise(
  path: string,
  behaviour: MiddleboxBehaviour | undefined,
  options: McpFallbackClientOptions = {},
): Promise<{ mcp: McpFallbackClient; observed: Observed }> {
  const url = await through(behaviour);
  const mcp = new McpFallbackClient(url, { ...FAST, ...options });
  const listChanged = new Promise<boolean>((resolve) =>
    mcp.client.setNotificationHandler('notifications/tools/list_changed', () => resolve(true)),
  );
  const started = Date.now();
  await mcp.connect();
  recordTiming({
    path,
    era: mcp.protocolVersion === '2026-07-28' ? '2026' : '2025',
    chosen: mcp.transportName,
    attempts: mcp.attempts,
    totalMs: Date.now() - started,
  });
  const search = (await mcp.callTool('search_notes', { query: 'Welcome' })).structuredContent;
  const progress: number[] = [];
  const summary = await mcp.callTool('summarize_notes', {}, { onprogress: (p) => progress.push(p.progress) });
  assert.equal(summary.isError, undefined);
  server.addTool(`runtime_${toolSeq++}`);
  const got = await Promise.race([
    listChanged,
    new Promise<boolean>((r) => setTimeout(() => r(false), 3_000)),
  ]);
  return { mcp, observed: { search, progress, listChanged: got } };
}

const cases: { path: string; behaviour?: MiddleboxBehaviour; expect: string; failed: string[] }[] = [
  { path: 'direct', expect: 'streamable-http', failed: [] },
  { path: 'SSE answered 502', behaviour: { sse: '502' }, expect: 'websocket', failed: ['streamable-http'] },
  {
    path: 'responses buffered',
    behaviour: { sse: 'buffer' },
    expect: 'websocket',
    failed: ['streamable-http'],
  },
  {
    path: 'headers passed, bodies held',
    behaviour: { sse: 'hold-body' },
    expect: 'websocket',
    failed: ['streamable-http'],
  },
  {
    path: 'SSE 502 + Upgrade refused',
    behaviour: { sse: '502', upgrade: 'refuse' },
    expect: 'polling',
    failed: ['streamable-http', 'websocket'],
  },
  {
    path: 'buffered + Upgrade refused',
    behaviour: { sse: 'buffer', upgrade: 'refuse' },
    expect: 'polling',
    failed: ['streamable-http', 'websocket'],
  },
];

for (const era of ['auto', 'legacy'] as const) {
  describe(`fallback client, negotiation ${era}`, () => {
    let reference: unknown;
    for (const testCase of cases) {
      it(`${testCase.path}: picks ${testCase.expect} and gets the same results, progress and notifications`, async () => {
        const { mcp, observed } = await exercise(testCase.path, testCase.behaviour, {
          versionNegotiation: era,
        });
        try {
          assert.equal(mcp.transportName, testCase.expect, JSON.stringify(mcp.attempts));
          assert.equal(mcp.protocolVersion, era === 'auto' ? '2026-07-28' : '2025-11-25');
          assert.deepEqual(
            mcp.attempts.filter((attempt) => !attempt.ok).map((attempt) => attempt.transport),
            testCase.failed,
          );
          for (const attempt of mcp.attempts) assert.ok(attempt.reason.length > 0);
          reference ??= observed.search;
          assert.deepEqual(observed.search, reference);
          assert.ok(observed.progress.length >= 2, `progress: ${JSON.stringify(observed.progress)}`);
          assert.equal(observed.listChanged, true, 'tools/list_changed arrived');
        } finally {
          await mcp.close();
        }
      });
    }
  });
}

describe('fallback client, failure reasons', () => {
  it('says why Streamable HTTP failed behind a 502 proxy and behind a buffering proxy', async () => {
    const refused = new McpFallbackClient(await through({ sse: '502' }), FAST);
    await refused.connect();
    assert.match(refused.attempts[0]!.reason, /502|Bad Gateway/i);
    await refused.close();
    const buffered = new McpFallbackClient(await through({ sse: 'buffer' }), FAST);
    await buffered.connect();
    assert.match(buffered.attempts[0]!.reason, /acknowledgement within 1000 ms/);
    await buffered.close();
  });

  it('sees through a proxy that passes the 2025 GET stream headers but holds its events, falling back to it last', async () => {
    const url = await through({ sse: 'hold-body' });
    const held = new McpFallbackClient(url, { ...FAST, versionNegotiation: 'legacy' });
    await held.connect();
    assert.equal(held.protocolVersion, '2025-11-25');
    assert.equal(held.transportName, 'websocket');
    assert.match(held.attempts[0]!.reason, /GET event stream sent no event within 1000 ms/);
    await held.close();
    // Forced onto Streamable HTTP (or nothing else worked), the headers still do, as a last
    // resort: the client cannot tell such a proxy from a server that does not prime.
    const forced = new McpFallbackClient(url, {
      ...FAST,
      versionNegotiation: 'legacy',
      transports: ['streamable-http'],
    });
    await forced.connect();
    assert.equal(forced.transportName, 'streamable-http');
    assert.deepEqual(
      forced.attempts.map((attempt) => attempt.ok),
      [false, true],
    );
    assert.match(forced.attempts[1]!.reason, /GET stream open: 200 text\/event-stream/);
    await forced.close();
    const direct = new McpFallbackClient(await through(), { ...FAST, versionNegotiation: 'legacy' });
    await direct.connect();
    assert.equal(direct.transportName, 'streamable-http');
    assert.match(direct.attempts[0]!.reason, /first event on the GET stream/);
    await direct.close();
  });

  it('rejects with every reason when nothing works, and forced transports are not fallen back from', async () => {
    const url = await through({ sse: '502', upgrade: 'refuse' });
    const forced = new McpFallbackClient(url, { ...FAST, transports: ['websocket'] });
    await assert.rejects(forced.connect(), (error: Error & { attempts?: unknown[] }) => {
      assert.equal(error.name, 'McpFallbackError');
      assert.equal(error.attempts?.length, 1);
      assert.match(error.message, /websocket: .*400/);
      return true;
    });
    const nowhere = new McpFallbackClient('http://127.0.0.1:9/mcp', {
      ...FAST,
      transports: ['streamable-http', 'websocket'],
    });
    await assert.rejects(nowhere.connect(), /streamable-http: .*websocket: /);
  });

  it('measures the default budgets behind a buffering proxy with Upgrade refused', async () => {
    const url = await through({ sse: 'buffer', upgrade: 'refuse' });
    const mcp = new McpFallbackClient(url);
    const started = Date.now();
    await mcp.connect();
    recordTiming({
      path: 'buffered + refused, defaults',
      era: '2026',
      chosen: mcp.transportName,
      attempts: mcp.attempts,
      totalMs: Date.now() - started,
    });
    assert.equal(mcp.transportName, 'polling');
    await mcp.close();
  });
});
