import assert from 'node:assert/strict';
import { Agent, type IncomingHttpHeaders } from 'node:http';
import { describe, it } from 'node:test';
import WebSocket from 'ws';
import { ExampleProcess } from './support/example-process.js';
import {
  INITIALIZED_TEXT,
  initializeText,
  LEGACY,
  legacyHeaders,
  MODERN,
  modernMeta,
  searchNotesText,
} from './support/mcp-messages.js';
import { type RawOutcome, rawRequest } from './support/raw-http.js';

/**
 * SIGTERM in the middle of ~700 requests on every transport of the example app (its own
 * process, `enableShutdownHooks`), clients on keep-alive agents as real ones are. Each HTTP
 * request gets its answer or 503 with `Retry-After`; each WebSocket gets its answers or a 1001
 * close; nothing is reset (`ECONNRESET`, "socket hang up") and nothing hangs. A client stops
 * sending once refused (it honours `Retry-After`), and new clients keep arriving for a while
 * after the SIGTERM; the server must keep listening until they have been told 503, so a
 * refused connection (`ECONNREFUSED`) while they still come is a fault too.
 */

const ROUNDS = 3;
/**
 * Clients sending requests one after another, ~700 in flight at once (480 + 160 POST loops, 4 GET
 * streams, 8 channels polling and sending, 16 sockets x 2): most HTTP ones queue on the agent's
 * pool (as in a busy real client), so sockets are reused the moment they free up.
 */
const LOAD = {
  modernPosts: 480,
  sessions: 4,
  postsPerSession: 40,
  pollingChannels: 8,
  websockets: 16,
  requestsPerSocket: 2,
  /** The HTTP clients' pool (polling has one of its own). */
  agentSockets: 64,
} as const;
const REQUESTS_PER_ROUND = 2_000;
/** SIGTERM once this many requests were answered: the middle of the round. */
const SIGTERM_AFTER = 1_000;
/** After the SIGTERM, new clients (one request each, both eras) arrive this often, for this long. */
const ARRIVAL_EVERY_MS = 5;
const ARRIVALS_FOR_MS = 150;
const REQUEST_BOUND_MS = 10_000;

const CLIENT = 'sigterm-load';
const MODERN_META = modernMeta(CLIENT);

type Verdict = 'answer' | 'refused' | 'closed-1001';

/** The counts one round produced, and every outcome that is none of the allowed ones. */
class Tally {
  readonly counts = new Map<string, number>();
  readonly faults: string[] = [];
  answered = 0;
  private budget: number;

  constructor(
    budget: number,
    private readonly onAnswered: (answered: number) => void,
  ) {
    this.budget = budget;
  }

  /** Takes one request from the round's budget; false when the round has sent them all. */
  take(): boolean {
    if (this.budget <= 0) return false;
    this.budget--;
    return true;
  }

  count(label: string, verdict: Verdict | 'fault', detail?: string): void {
    const key = `${label} ${verdict}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    if (verdict === 'fault') this.faults.push(`${label}: ${detail}`);
    if (verdict === 'answer') this.onAnswered(++this.answered);
  }
}

/**
 * The verdict on one HTTP outcome: `isAnswer` says whether a response is the request's answer;
 * 503 must carry `Retry-After`; any socket error is a fault.
 */
function judge(
  outcome: RawOutcome,
  isAnswer: (status: number, body: any) => boolean,
): [Verdict | 'fault', string] {
  if (outcome.kind === 'timeout') return ['fault', `no answer within ${REQUEST_BOUND_MS} ms`];
  if (outcome.kind === 'error') return ['fault', `${outcome.code} ${outcome.message}`];
  if (outcome.status === 503) return refusalVerdict(outcome.headers, outcome.text);
  return isAnswer(outcome.status, outcome.body)
    ? ['answer', '']
    : ['fault', `unexpected ${outcome.status}: ${outcome.text.slice(0, 300)}`];
}

/** A shutdown refusal: 503 with `Retry-After`, ending its connection (`Connection: close`). */
function refusalVerdict(headers: IncomingHttpHeaders, text: string): [Verdict | 'fault', string] {
  if (headers['retry-after'] === undefined) return ['fault', `503 without Retry-After: ${text}`];
  if (headers.connection !== 'close') return ['fault', `503 keeps its connection (${headers.connection})`];
  return ['refused', ''];
}

interface RoundContext {
  readonly app: ExampleProcess;
  /** Streamable HTTP requests of both eras share one pool; polling has its own. */
  readonly agents: { readonly modern: Agent; readonly session: Agent; readonly polling: Agent };
  readonly tally: Tally;
}

let nextId = 1;

function isResultFor(id: number) {
  return (status: number, body: any): boolean => status === 200 && body?.id === id && 'result' in body;
}

/** 2026-07-28 POSTs, JSON answers (or SSE ones when `sseOnly`), until refused or out of budget. */
async function modernWorker(ctx: RoundContext, sseOnly: boolean): Promise<void> {
  const label = sseOnly ? 'http-2026-sse' : 'http-2026';
  while (ctx.tally.take()) {
    const id = nextId++;
    const outcome = await rawRequest(ctx.app.url, {
      method: 'POST',
      agent: ctx.agents.modern,
      timeoutMs: REQUEST_BOUND_MS,
      headers: {
        'content-type': 'application/json',
        accept: sseOnly ? 'text/event-stream' : 'application/json, text/event-stream',
        'mcp-protocol-version': MODERN,
        'mcp-method': 'tools/call',
        'mcp-name': 'search_notes',
      },
      body: searchNotesText(id, MODERN_META),
    });
    const [verdict, detail] = judge(outcome, (status, body) =>
      sseOnly ? status === 200 && sseAnswerFor(outcome, id) : isResultFor(id)(status, body),
    );
    ctx.tally.count(label, verdict, detail);
    if (verdict !== 'answer') return;
  }
}

function sseAnswerFor(outcome: RawOutcome, id: number): boolean {
  if (outcome.kind !== 'response') return false;
  return outcome.text
    .split('\n')
    .filter((line) => line.startsWith('data: ') && line.length > 6)
    .some((line) => {
      const message = JSON.parse(line.slice(6)) as { id?: unknown; result?: unknown };
      return message.id === id && message.result !== undefined;
    });
}

/** Opens a 2025-11-25 session (before the load) and returns its id. */
async function openSession(app: ExampleProcess, agent: Agent): Promise<string> {
  const init = await rawRequest(app.url, {
    method: 'POST',
    agent,
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: initializeText(0, CLIENT),
  });
  assert.ok(init.kind === 'response' && init.status === 200, JSON.stringify(init));
  const sessionId = init.headers['mcp-session-id'] as string;
  const initialized = await rawRequest(app.url, {
    method: 'POST',
    agent,
    headers: legacyHeaders(sessionId),
    body: INITIALIZED_TEXT,
  });
  assert.ok(initialized.kind === 'response' && initialized.status === 202, JSON.stringify(initialized));
  return sessionId;
}

async function sessionWorker(ctx: RoundContext, sessionId: string): Promise<void> {
  while (ctx.tally.take()) {
    const id = nextId++;
    const outcome = await rawRequest(ctx.app.url, {
      method: 'POST',
      agent: ctx.agents.session,
      timeoutMs: REQUEST_BOUND_MS,
      headers: legacyHeaders(sessionId),
      body: searchNotesText(id),
    });
    const [verdict, detail] = judge(outcome, isResultFor(id));
    ctx.tally.count('http-2025', verdict, detail);
    if (verdict !== 'answer') return;
  }
}

/**
 * The session's GET stream, open across the shutdown: the server ends it (a complete chunked
 * response), it is not reset.
 */
async function sessionStream(ctx: RoundContext, sessionId: string): Promise<void> {
  const outcome = await rawRequest(ctx.app.url, {
    agent: ctx.agents.session,
    timeoutMs: REQUEST_BOUND_MS + 5_000,
    headers: { accept: 'text/event-stream', 'mcp-session-id': sessionId, 'mcp-protocol-version': LEGACY },
  });
  const [verdict, detail] = judge(outcome, (status) => status === 200);
  ctx.tally.count('http-2025-get-stream', verdict, detail);
}

const POLLING = { 'mcp-transport': 'polling' };

async function openChannel(app: ExampleProcess, agent: Agent): Promise<string> {
  const opened = await rawRequest(app.url, {
    method: 'POST',
    agent,
    headers: { ...POLLING, accept: 'application/json', 'content-type': 'application/json' },
    body: '{}',
  });
  assert.ok(opened.kind === 'response' && opened.status === 201, JSON.stringify(opened));
  return opened.body.channelId as string;
}

/**
 * One polling channel as a polling client runs it: a poll always parked, and requests sent one
 * after another, each answered through the polls. The shutdown ends the channel with a batch
 * marked `closed: true`.
 */
async function pollingWorker(ctx: RoundContext, channelId: string): Promise<void> {
  const waiting = new Map<unknown, () => void>();
  // Set by the poller, read by the sender.
  const state = { closed: false };
  let markClosed!: () => void;
  const channelClosed = new Promise<void>((resolve) => (markClosed = resolve));
  const poller = (async () => {
    let cursor = 0;
    for (;;) {
      const polled = await rawRequest(ctx.app.url, {
        agent: ctx.agents.polling,
        timeoutMs: REQUEST_BOUND_MS + 20_000,
        headers: {
          ...POLLING,
          'mcp-channel-id': channelId,
          accept: 'application/json',
          'last-event-id': String(cursor),
        },
      });
      const [verdict, detail] = judge(
        polled,
        (status, body) => status === 200 && Array.isArray(body?.events),
      );
      ctx.tally.count('polling-poll', verdict, detail);
      if (verdict !== 'answer' || polled.kind !== 'response') break;
      for (const event of polled.body.events as Array<{ id: number; message: { id?: unknown } }>) {
        cursor = event.id;
        waiting.get(event.message.id)?.();
      }
      if (polled.body.closed === true) break;
    }
    state.closed = true;
    markClosed();
  })();
  while (!state.closed && ctx.tally.take()) {
    const id = nextId++;
    const answered = new Promise<void>((resolve) => waiting.set(id, resolve));
    const sent = await rawRequest(ctx.app.url, {
      method: 'POST',
      agent: ctx.agents.polling,
      timeoutMs: REQUEST_BOUND_MS,
      headers: { ...POLLING, 'mcp-channel-id': channelId, 'content-type': 'application/json' },
      body: searchNotesText(id, MODERN_META),
    });
    const [verdict, detail] = judge(sent, (status) => status === 202);
    ctx.tally.count('polling-send', verdict, detail);
    if (verdict !== 'answer') break;
    await Promise.race([answered, channelClosed]);
  }
  await poller;
}

/** A WebSocket opened before the load (2025 ones initialized), with its answers matched by id. */
class LoadSocket {
  failure: string | undefined;
  readonly closed: Promise<number>;
  private readonly waiters = new Map<number, (answer: any) => void>();

  private constructor(
    readonly socket: WebSocket,
    readonly legacy: boolean,
  ) {
    socket.on(
      'error',
      (error: NodeJS.ErrnoException) => (this.failure = `${error.code ?? ''} ${error.message}`),
    );
    this.closed = new Promise((resolve) => socket.once('close', (code) => resolve(code)));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { id?: number };
      if (typeof message.id === 'number') this.waiters.get(message.id)?.(message);
    });
  }

  static async open(app: ExampleProcess, legacy: boolean): Promise<LoadSocket> {
    const socket = new WebSocket(app.wsUrl, 'mcp');
    await new Promise<void>((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    const client = new LoadSocket(socket, legacy);
    if (legacy) {
      await client.request(0, initializeText(0, CLIENT));
      socket.send(INITIALIZED_TEXT);
    }
    return client;
  }

  /** The answer, or undefined when the socket closed first. */
  request(id: number, payload: string): Promise<any> {
    return Promise.race([
      new Promise((resolve) => {
        this.waiters.set(id, resolve);
        this.socket.send(payload);
      }),
      this.closed.then(() => undefined),
    ]);
  }
}

/**
 * `concurrency` request loops on one socket until it is closed (1001) or the budget is spent;
 * then the socket's end is judged and, after 1001, a reconnection is tried.
 */
async function websocketWorker(ctx: RoundContext, client: LoadSocket, concurrency: number): Promise<void> {
  const label = client.legacy ? 'ws-2025' : 'ws-2026';
  const loop = async (): Promise<void> => {
    while (client.socket.readyState === WebSocket.OPEN && ctx.tally.take()) {
      const id = nextId++;
      const answer = await client.request(id, searchNotesText(id, client.legacy ? undefined : MODERN_META));
      if (answer === undefined) return;
      if (answer.result === undefined) ctx.tally.count(label, 'fault', `answer ${JSON.stringify(answer)}`);
      else ctx.tally.count(label, 'answer');
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  if (client.socket.readyState === WebSocket.OPEN) client.socket.close(1000);
  const code = await client.closed;
  if (client.failure !== undefined || (code !== 1001 && code !== 1000)) {
    ctx.tally.count(label, 'fault', `closed ${code} ${client.failure ?? ''}`);
    return;
  }
  if (code !== 1001) return;
  ctx.tally.count(label, 'closed-1001');
  // A client reconnects after 1001: the server, still closing, refuses the upgrade (503 +
  // Retry-After), or no longer listens.
  ctx.tally.count(`${label}-reconnect`, ...(await refusedUpgrade(ctx.app)));
}

function refusedUpgrade(app: ExampleProcess): Promise<[Verdict | 'fault', string]> {
  return new Promise((resolve) => {
    const socket = new WebSocket(app.wsUrl, 'mcp');
    socket.once('open', () => {
      socket.terminate();
      resolve(['fault', 'upgraded while shutting down']);
    });
    socket.once('unexpected-response', (_req, res) => {
      resolve(
        res.statusCode === 503
          ? refusalVerdict(res.headers, '')
          : ['fault', `upgrade answered ${res.statusCode} ${JSON.stringify(res.headers)}`],
      );
      res.resume();
      socket.terminate();
    });
    socket.once('error', (error: NodeJS.ErrnoException) =>
      resolve(['fault', `${error.code} ${error.message}`]),
    );
  });
}

/** New clients, each sending one request (both eras) on the shared pool, while the server closes. */
async function arriveDuringShutdown(ctx: RoundContext, sessions: readonly string[]): Promise<void> {
  const arrived: Array<Promise<void>> = [];
  const until = performance.now() + ARRIVALS_FOR_MS;
  for (let index = 0; performance.now() < until; index++) {
    arrived.push(
      index % 2 === 0 ? modernWorker(ctx, false) : sessionWorker(ctx, sessions[index % sessions.length]!),
    );
    await new Promise((resolve) => setTimeout(resolve, ARRIVAL_EVERY_MS));
  }
  await Promise.all(arrived);
}

function times<T>(count: number, make: (index: number) => T): T[] {
  return Array.from({ length: count }, (_, index) => make(index));
}

async function runRound(round: number): Promise<Tally> {
  const app = await ExampleProcess.start();
  try {
    // Real clients keep connections alive and queue on a bounded pool.
    const pool = (): Agent => new Agent({ keepAlive: true, maxSockets: LOAD.agentSockets });
    const shared = pool();
    const agents = { modern: shared, session: shared, polling: pool() };
    const sessions = await Promise.all(times(LOAD.sessions, () => openSession(app, agents.session)));
    const channels = await Promise.all(times(LOAD.pollingChannels, () => openChannel(app, agents.polling)));
    const sockets = await Promise.all(
      times(LOAD.websockets, (index) => LoadSocket.open(app, index % 2 === 1)),
    );
    let terminated = false;
    let arrivals: Promise<void> = Promise.resolve();
    const tally = new Tally(REQUESTS_PER_ROUND, (answered) => {
      if (!terminated && answered >= SIGTERM_AFTER) {
        terminated = true;
        app.child.kill('SIGTERM');
        arrivals = arriveDuringShutdown(ctx, sessions);
      }
    });
    const ctx: RoundContext = { app, agents, tally };
    // The GET streams first, then both eras' POSTs interleaved: the shared pool serves its
    // queue in order, so each kind of request is in flight from the start.
    const streams = sessions.map((session) => sessionStream(ctx, session));
    const posts = times(LOAD.modernPosts + LOAD.sessions * LOAD.postsPerSession, (index) =>
      index % 3 === 2 && index < 3 * LOAD.sessions * LOAD.postsPerSession
        ? sessionWorker(ctx, sessions[index % LOAD.sessions]!)
        : modernWorker(ctx, index % 4 === 0),
    );
    await Promise.all([
      ...streams,
      ...posts,
      ...channels.map((channel) => pollingWorker(ctx, channel)),
      ...sockets.map((socket) => websocketWorker(ctx, socket, LOAD.requestsPerSocket)),
    ]);
    await arrivals;
    shared.destroy();
    agents.polling.destroy();
    if (!terminated) app.child.kill('SIGTERM');
    const exit = await Promise.race([
      app.exited,
      new Promise((resolve) => setTimeout(() => resolve('still running'), 15_000)),
    ]);
    assert.ok(
      typeof exit === 'object' && exit !== null,
      `round ${round}: the app did not exit after SIGTERM: ${app.output.slice(-2000)}`,
    );
    return tally;
  } finally {
    app.kill();
  }
}

describe('SIGTERM under load (example app in its own process)', () => {
  it(`answers or refuses (503 + Retry-After, WebSocket 1001) each of ~${REQUESTS_PER_ROUND} requests, resetting none, ${ROUNDS} rounds`, async (t) => {
    for (let round = 1; round <= ROUNDS; round++) {
      const tally = await runRound(round);
      const summary = [...tally.counts].map(([key, count]) => `${key}=${count}`).join(', ');
      t.diagnostic(`round ${round}: ${summary}`);
      assert.deepEqual(tally.faults, [], `round ${round}: ${summary}`);
      assert.ok(tally.answered >= SIGTERM_AFTER, `round ${round}: ${summary}`);
      assert.ok(
        [...tally.counts.keys()].some((key) => key.endsWith(' refused') || key.endsWith(' closed-1001')),
        `round ${round}: the shutdown refused nothing, so it did not happen under load: ${summary}`,
      );
    }
  });
});
