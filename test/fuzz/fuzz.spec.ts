import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, it, type TestContext } from 'node:test';
import WebSocket from 'ws';
import { ExampleProcess } from '../example/support/example-process.js';
import { INITIALIZED_TEXT, initializeText, searchNotesText } from '../example/support/mcp-messages.js';
import { type RawOutcome, rawRequest } from '../example/support/raw-http.js';
import { checkHttp, checkPostedMessage } from './support/answer-checks.js';
import {
  type Era,
  type FuzzMessage,
  fuzzMessage,
  LEGACY,
  MODERN_META,
  validMessage,
} from './support/fuzz-messages.js';
import {
  type HttpCase,
  type HttpFuzzTarget,
  httpCases,
  legacyHeaders,
  modernHeaders,
} from './support/http-fuzz-cases.js';
import { begin, runSequential, StdioPeer, WebSocketPeer } from './support/message-peers.js';
import { PollingPeer } from './support/polling-peer.js';
import { SeededRandom } from './support/seeded-random.js';

/**
 * The fuzz pass, bounded: a few thousand malformed and mutated inputs from a seeded generator
 * against the example app in its own process, on every transport (Streamable HTTP in both
 * eras, odd headers and framings, WebSocket frames, polling, stdio lines). Invariants, from the
 * spec and the README's wire table: the process survives and serves a normal call afterwards;
 * no 5xx but 503 with `Retry-After`; every status is one the binding specifies for the input;
 * JSON-RPC errors use specified codes (never -32603 for bad input); ids are strings or
 * integers, echoed exactly or refused with id null, and no answer carries another request's id;
 * progress only under the valid token its request sent; WebSockets stay open (binary and
 * oversized frames get their documented close codes); nothing hangs.
 *
 * A failure names its seed: `FUZZ_SEED=<seed> node scripts/run-tests.mjs dist/test fuzz` replays it.
 */

const SEED = SeededRandom.fromEnvironment().seed;
/** Each test draws from its own stream (and ids), so one can be replayed alone. */
const randomFor = (stream: number): SeededRandom => new SeededRandom((SEED + stream * 0x9e3779b9) >>> 0);
function idsFor(stream: number): () => number {
  let id = stream * 1_000_000;
  return () => ++id;
}
const BOUND_MS = 5_000;
const HTTP_CONCURRENCY = 8;

/** Mutants with a valid message now and then (the valid ones must be served, in between). */
function messages(stream: number, era: Era, count: number): FuzzMessage[] {
  const random = randomFor(stream);
  const nextId = idsFor(stream);
  return Array.from({ length: count }, () =>
    random.chance(0.1) ? validMessage(random, era, nextId) : fuzzMessage(random, era, nextId),
  );
}

/** Runs `work` over `items`, `concurrency` at a time. */
async function pool<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/** Groups shown in a failure message; the rest are counted. */
const GROUPS_SHOWN = 40;

/**
 * Fails with every problem found, grouped by the case's label and the start of the problem
 * (digits ignored), one example each, and the seed to replay them.
 */
function report(t: TestContext, what: string, inputs: number, failures: readonly string[]): void {
  t.diagnostic(`${what}: ${inputs} inputs, seed ${SEED}, ${failures.length} problems`);
  if (failures.length === 0) return;
  const byKind = new Map<string, string[]>();
  for (const failure of failures) {
    const kind = failure.slice(0, failure.indexOf(']') + 50).replace(/[0-9]+/g, 'N');
    byKind.set(kind, [...(byKind.get(kind) ?? []), failure]);
  }
  const groups = [...byKind.values()].toSorted((a, b) => b.length - a.length);
  const shown = groups.slice(0, GROUPS_SHOWN).map((group) => `${group.length} x ${group[0]!.slice(0, 400)}`);
  const hidden = groups.length > GROUPS_SHOWN ? [`... and ${groups.length - GROUPS_SHOWN} more groups`] : [];
  assert.fail(
    `${what}: ${failures.length} problems (replay with FUZZ_SEED=${SEED}):\n  ${[...shown, ...hidden].join('\n  ')}`,
  );
}

describe(`fuzz: malformed and mutated input on every transport (seed ${SEED})`, () => {
  let app: ExampleProcess;
  let agent: Agent;
  let target: HttpFuzzTarget;

  before(async () => {
    app = await ExampleProcess.start();
    agent = new Agent({ keepAlive: true, maxSockets: HTTP_CONCURRENCY });
    const init = await rawRequest(app.url, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: initializeText(0, 'fuzz'),
    });
    assert.ok(init.kind === 'response' && init.status === 200, JSON.stringify(init));
    const sessionId = init.headers['mcp-session-id'] as string;
    await rawRequest(app.url, {
      method: 'POST',
      agent,
      headers: legacyHeaders(sessionId),
      body: INITIALIZED_TEXT,
    });
    const channel = await rawRequest(app.url, {
      method: 'POST',
      agent,
      headers: { 'mcp-transport': 'polling', accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify({ pollTimeoutMs: 200 }),
    });
    assert.ok(channel.kind === 'response' && channel.status === 201, JSON.stringify(channel));
    target = { sessionId, channelId: channel.body.channelId as string };
  });

  after(() => {
    agent?.destroy();
    app?.kill();
  });

  /** Message-level inputs POSTed with the headers a client would derive from each body. */
  async function postMessages(era: Era, inputs: readonly FuzzMessage[]): Promise<string[]> {
    const failures: string[] = [];
    await pool(inputs, HTTP_CONCURRENCY, async (input) => {
      const outcome = await rawRequest(app.url, {
        method: 'POST',
        agent,
        timeoutMs: BOUND_MS,
        headers: era === 'modern' ? modernHeaders(input) : legacyHeaders(target.sessionId),
        body: input.text,
      });
      for (const problem of checkPostedMessage(input, outcome)) {
        failures.push(`[${input.label}] ${problem}; sent ${input.text.slice(0, 200)}`);
      }
    });
    if (!app.alive) failures.push(`the app died: ${app.output.slice(-2000)}`);
    return failures;
  }

  it('Streamable HTTP 2026-07-28: mutated POST bodies', async (t) => {
    const inputs = messages(1, 'modern', 700);
    report(t, 'HTTP 2026', inputs.length, await postMessages('modern', inputs));
  });

  it('Streamable HTTP 2025-11-25: mutated POST bodies in a session', async (t) => {
    const inputs = messages(2, 'legacy', 500);
    report(t, 'HTTP 2025', inputs.length, await postMessages('legacy', inputs));
  });

  it('Streamable HTTP and polling: odd headers and framings', async (t) => {
    const random = randomFor(3);
    const cases = httpCases(random, target, idsFor(3), 250);
    const failures: string[] = [];
    await pool(cases, HTTP_CONCURRENCY, async (testCase) => {
      const outcome = await rawRequest(app.url, {
        timeoutMs: BOUND_MS,
        ...testCase.request,
        agent: testCase.ownConnection ? false : agent,
      });
      for (const problem of checkCase(testCase, outcome)) failures.push(`[${testCase.label}] ${problem}`);
      // A channel opened by a case is closed again (the capacity is not the subject here).
      if (
        outcome.kind === 'response' &&
        outcome.status === 201 &&
        typeof outcome.body?.channelId === 'string'
      ) {
        await rawRequest(app.url, {
          method: 'DELETE',
          agent,
          headers: { 'mcp-transport': 'polling', 'mcp-channel-id': outcome.body.channelId },
        });
      }
    });
    if (!app.alive) failures.push(`the app died: ${app.output.slice(-2000)}`);
    report(t, 'HTTP headers and framing', cases.length, failures);
  });

  it('Streamable HTTP: truncated and malformed framings on raw sockets', async (t) => {
    const random = randomFor(4);
    const failures: string[] = [];
    for (let index = 0; index < 40; index++) {
      const { label, bytes } = truncatedRequest(random, app.port, target.sessionId);
      const answer = await rawExchange(app.port, bytes);
      const status = /^HTTP\/1\.1 (\d{3})/.exec(answer.text)?.[1];
      // The client broke the framing: an answer is optional, a 5xx or anything but 400/413 is not.
      if (status !== undefined && !['400', '413'].includes(status)) {
        failures.push(`[${label}] answered ${answer.text.slice(0, 200)}`);
      }
      if (answer.hung)
        failures.push(`[${label}] the connection was neither answered nor closed within ${BOUND_MS} ms`);
    }
    if (!app.alive) failures.push(`the app died: ${app.output.slice(-2000)}`);
    report(t, 'truncated framings', 40, failures);
  });

  for (const [stream, era] of [
    [5, 'modern'],
    [6, 'legacy'],
  ] as const) {
    it(`WebSocket ${era === 'modern' ? '2026-07-28' : '2025-11-25'}: mutated frames`, async (t) => {
      const inputs = messages(stream, era, 400);
      const peer = await WebSocketPeer.open(app.wsUrl, era);
      const failures = await runSequential(peer, inputs, BOUND_MS);
      if (peer.gone !== undefined) failures.push(`the socket did not stay open: ${peer.gone}`);
      await peer.close();
      report(t, `WebSocket ${era}`, inputs.length, failures);
    });
  }

  it('WebSocket: binary and oversized frames close with 1003 and 1009', async (t) => {
    const failures: string[] = [];
    for (const [label, data, code] of [
      ['binary frame', Buffer.from('{"jsonrpc":"2.0","id":1,"method":"ping"}'), 1003],
      ['frame over 4 MiB', 'x'.repeat(4 * 1024 * 1024 + 1), 1009],
    ] as const) {
      const socket = new WebSocket(app.wsUrl, 'mcp');
      await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
      socket.on('error', () => undefined);
      const closed = new Promise<number>((resolve) => socket.once('close', resolve));
      socket.send(data);
      const got = await Promise.race([
        closed,
        new Promise((resolve) => setTimeout(() => resolve('open'), BOUND_MS)),
      ]);
      if (got !== code) failures.push(`[${label}] closed with ${String(got)}, documented ${code}`);
      socket.terminate();
    }
    report(t, 'WebSocket frames', 2, failures);
  });

  for (const [stream, era] of [
    [7, 'modern'],
    [8, 'legacy'],
  ] as const) {
    it(`polling ${era === 'modern' ? '2026-07-28' : '2025-11-25'}: mutated sends`, async (t) => {
      const inputs = messages(stream, era, 200);
      const peer = await PollingPeer.open(app.url, era);
      await begin(peer);
      const failures = await runSequential(peer, inputs, BOUND_MS);
      failures.push(...peer.problems);
      if (peer.gone !== undefined) failures.push(`the channel did not stay open: ${peer.gone}`);
      await peer.close();
      report(t, `polling ${era}`, inputs.length, failures);
    });
  }

  it('stays up and serves a normal call on every transport afterwards', async () => {
    assert.ok(app.alive, `the app died: ${app.output.slice(-2000)}`);
    const modern = await rawRequest(app.url, {
      method: 'POST',
      headers: modernHeaders({ method: 'tools/call', name: 'search_notes' }),
      body: searchNotesText(1, MODERN_META),
    });
    assert.ok(
      modern.kind === 'response' && modern.status === 200 && 'result' in modern.body,
      JSON.stringify(modern),
    );
    const legacy = await rawRequest(app.url, {
      method: 'POST',
      headers: legacyHeaders(target.sessionId),
      body: searchNotesText(2),
    });
    assert.ok(
      legacy.kind === 'response' && legacy.status === 200 && 'result' in legacy.body,
      JSON.stringify(legacy),
    );
    for (const era of ['modern', 'legacy'] as const) {
      // Opening a peer exchanges a request and its answer; that is the normal call here.
      const socket = await WebSocketPeer.open(app.wsUrl, era);
      await socket.close();
      const channel = await PollingPeer.open(app.url, era);
      await begin(channel);
      await channel.close();
    }
  });
});

describe(`fuzz: stdio lines (seed ${SEED})`, () => {
  for (const [stream, era] of [
    [9, 'modern'],
    [10, 'legacy'],
  ] as const) {
    it(`stdio ${era === 'modern' ? '2026-07-28' : '2025-11-25'}: mutated lines, then a normal call`, async (t) => {
      // A blank line is not a message on stdio (newline-delimited JSON): nothing is owed for it.
      const inputs = messages(stream, era, 300).map((input) =>
        input.text.trim() === '' ? { ...input, owed: { kind: 'silence' } as const } : input,
      );
      const peer = await StdioPeer.spawn(era);
      try {
        const failures = await runSequential(
          peer,
          [...inputs, validMessage(randomFor(stream), era, idsFor(stream + 100))],
          BOUND_MS,
        );
        if (!peer.alive)
          failures.push(`the process exited: ${peer.gone}; stderr ${peer.stderr.slice(-1000)}`);
        await peer.close();
        report(t, `stdio ${era}`, inputs.length, failures);
      } finally {
        peer.child.kill('SIGKILL');
      }
    });
  }
});

/** The statuses allowed for the case, and a body the request accepted. */
function checkCase(testCase: HttpCase, outcome: RawOutcome): string[] {
  const problems = checkHttp(outcome, testCase.allowed);
  if (outcome.kind !== 'response' || outcome.status !== 200 || testCase.accepts === undefined)
    return problems;
  const type = String(outcome.headers['content-type'] ?? '');
  const isSse = type.startsWith('text/event-stream');
  if (isSse ? !testCase.accepts.sse : !testCase.accepts.json) {
    problems.push(`answered ${type}, which the request did not accept`);
  }
  return problems;
}

/** A request whose body ends early or whose chunking is broken, then the client's FIN. */
function truncatedRequest(
  random: SeededRandom,
  port: number,
  sessionId: string,
): { label: string; bytes: string } {
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'tools/call',
    params: { name: 'search_notes', arguments: { query: 'milk' } },
  });
  const head = [
    'POST /mcp HTTP/1.1',
    `Host: 127.0.0.1:${port}`,
    'Content-Type: application/json',
    'Accept: application/json, text/event-stream',
    `Mcp-Session-Id: ${sessionId}`,
    `MCP-Protocol-Version: ${LEGACY}`,
  ].join('\r\n');
  const cut = random.int(0, body.length - 1);
  switch (random.int(0, 3)) {
    case 0:
      return {
        label: `Content-Length ${body.length}, ${cut} bytes sent`,
        bytes: `${head}\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, cut)}`,
      };
    case 1:
      return {
        label: `chunked, ${cut} bytes of the chunk sent`,
        bytes: `${head}\r\nTransfer-Encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n${body.slice(0, cut)}`,
      };
    case 2:
      return {
        label: 'chunked, bad chunk size',
        bytes: `${head}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n${body}\r\n0\r\n\r\n`,
      };
    default:
      return {
        label: 'chunked, no terminating chunk',
        bytes: `${head}\r\nTransfer-Encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n`,
      };
  }
}

/** Writes `bytes`, half-closes, and reads whatever comes back until the server closes. */
function rawExchange(port: number, bytes: string): Promise<{ text: string; hung: boolean }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ text, hung: true });
    }, BOUND_MS);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text, hung: false });
    });
    socket.end(bytes);
  });
}
