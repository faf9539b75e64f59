import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { Agent } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { legacyHeaders } from '../shared/messages.js';
import {
  echoCall,
  exchange,
  type HttpAnswer,
  modernHeaders,
  openSession,
  openStream,
  POLLING,
  progressCall,
  SoakSocket,
  type Tally,
} from './soak-clients.js';

/** How much of each kind of client the soak runs at once. */
export interface SoakShape {
  /** Closed-loop callers per transport and era (HTTP 2026, HTTP 2025, WebSocket x2, polling, stdio window). */
  readonly callers: number;
  /** 2025 GET streams that stop reading after their first event and stay for the whole run. */
  readonly stalledStreams: number;
  /** 2025 WebSocket sessions that stop reading (replaced when the server closes one). */
  readonly pausedSockets: number;
  /** How often an abandoned GET stream or polling channel is left behind. */
  readonly abandonEveryMs: number;
  /** Progress updates per `progress` call. */
  readonly progressSteps: number;
}

export interface SoakContext {
  readonly url: string;
  readonly shape: SoakShape;
  readonly tally: Tally;
  /** `performance.now()` at which every actor stops. */
  readonly until: number;
}

const running = (ctx: SoakContext): boolean => performance.now() < ctx.until;
const failure = (error: unknown): string => (error instanceof Error ? error.message : String(error));
let ids = 0;
const nextId = (): string => `s${++ids}`;

/**
 * Closed-loop calls over HTTP, `echo` (a JSON answer) and `progress` (an SSE answer) in turn;
 * `post` sends one call's body and says whether its answer came.
 */
async function callLoop(
  ctx: SoakContext,
  actor: string,
  post: (id: string, body: string, progress: boolean) => Promise<HttpAnswer>,
  modern: boolean,
): Promise<void> {
  while (running(ctx)) {
    const id = nextId();
    const progress = Number(id.slice(1)) % 2 === 0;
    const body = progress ? progressCall(id, ctx.shape.progressSteps, modern) : echoCall(id, modern);
    try {
      const answer = await post(id, body, progress);
      if (answer.status === 200 && answer.text.includes('"result"')) ctx.tally.add(`${actor} calls`);
      else ctx.tally.error(actor, `${answer.status} ${answer.text}`);
    } catch (error) {
      ctx.tally.error(actor, failure(error));
    }
  }
}

/** Streamable HTTP 2026-07-28, stateless. */
function modernCaller(ctx: SoakContext, agent: Agent): Promise<void> {
  return callLoop(
    ctx,
    'http-2026',
    (_id, body, progress) =>
      exchange(ctx.url, agent, 'POST', modernHeaders(progress ? 'progress' : 'echo'), body),
    true,
  );
}

/** Streamable HTTP 2025-11-25: one session (progress answers are resumable SSE); DELETE at the end. */
async function sessionCaller(ctx: SoakContext, agent: Agent): Promise<void> {
  let sessionId: string;
  try {
    sessionId = await openSession(ctx.url, agent);
  } catch (error) {
    return ctx.tally.error('http-2025', failure(error));
  }
  await callLoop(
    ctx,
    'http-2025',
    (_id, body) => exchange(ctx.url, agent, 'POST', legacyHeaders(sessionId), body),
    false,
  );
  await exchange(ctx.url, agent, 'DELETE', legacyHeaders(sessionId)).catch(() => undefined);
}

/** A session whose GET stream is read until its first event, then dropped (no DELETE): the idle sweep ends it. */
async function abandonedStreams(ctx: SoakContext, agent: Agent): Promise<void> {
  while (running(ctx)) {
    try {
      const sessionId = await openSession(ctx.url, agent);
      const { req, res } = await openStream(ctx.url, false, {
        ...legacyHeaders(sessionId),
        accept: 'text/event-stream',
      });
      await new Promise((resolve) => res.once('data', resolve));
      req.destroy();
      ctx.tally.add('GET streams abandoned');
    } catch (error) {
      ctx.tally.error('abandoned streams', failure(error));
    }
    await sleep(ctx.shape.abandonEveryMs);
  }
}

/** GET streams that stop reading after their first event and stay open for the whole run. */
async function stalledStreams(ctx: SoakContext, agent: Agent): Promise<void> {
  const held = await Promise.all(
    Array.from({ length: ctx.shape.stalledStreams }, async () => {
      const sessionId = await openSession(ctx.url, agent);
      const stream = await openStream(ctx.url, false, {
        ...legacyHeaders(sessionId),
        accept: 'text/event-stream',
      });
      await new Promise((resolve) => stream.res.once('data', resolve));
      stream.res.pause();
      return stream;
    }),
  ).catch((error: unknown) => {
    ctx.tally.error('stalled streams', failure(error));
    return [];
  });
  ctx.tally.add('GET streams stalled', held.length);
  await sleep(Math.max(0, ctx.until - performance.now()));
  for (const { req } of held) req.destroy();
}

/** WebSocket callers: `echo` and `progress` in turn, one in flight. */
async function socketCaller(ctx: SoakContext, legacy: boolean): Promise<void> {
  const actor = legacy ? 'ws-2025' : 'ws-2026';
  let client: SoakSocket;
  try {
    client = await SoakSocket.open(ctx.url, legacy);
  } catch (error) {
    return ctx.tally.error(actor, failure(error));
  }
  while (running(ctx)) {
    const id = nextId();
    const progress = Number(id.slice(1)) % 2 === 0;
    const answer = await client.request(
      id,
      progress ? progressCall(id, ctx.shape.progressSteps, !legacy) : echoCall(id, !legacy),
    );
    if (answer === undefined) return ctx.tally.error(actor, `closed ${await client.closed}`);
    if (answer.includes('"result"')) ctx.tally.add(`${actor} calls`);
    else ctx.tally.error(actor, answer);
  }
  client.socket.close(1000);
}

/**
 * 2025 WebSocket sessions that stop reading (list changes keep coming); the server closes
 * one once its unsent bytes pass the cap (1008) and another takes its place.
 */
async function pausedSockets(ctx: SoakContext): Promise<void> {
  await Promise.all(
    Array.from({ length: ctx.shape.pausedSockets }, async () => {
      while (running(ctx)) {
        let client: SoakSocket;
        try {
          client = await SoakSocket.open(ctx.url, true);
        } catch (error) {
          ctx.tally.error('paused sockets', failure(error));
          return;
        }
        client.socket.pause();
        ctx.tally.add('WebSockets paused');
        const code = await Promise.race([client.closed, sleep(Math.max(0, ctx.until - performance.now()))]);
        if (typeof code !== 'number') {
          client.socket.terminate();
          return;
        }
        ctx.tally.add(`paused WebSockets closed ${code}`);
      }
    }),
  );
}

/** Polling callers: a 2026 channel, a progress call or an echo, polled until its answer. */
async function pollingCaller(ctx: SoakContext, agent: Agent): Promise<void> {
  let channelId: string;
  try {
    const opened = await exchange(ctx.url, agent, 'POST', { ...POLLING, accept: 'application/json' });
    channelId = (JSON.parse(opened.text) as { channelId: string }).channelId;
  } catch (error) {
    return ctx.tally.error('polling', failure(error));
  }
  const channel = { ...POLLING, 'mcp-channel-id': channelId };
  let cursor = 0;
  while (running(ctx)) {
    const id = nextId();
    const progress = Number(id.slice(1)) % 2 === 0;
    try {
      const sent = await exchange(
        ctx.url,
        agent,
        'POST',
        { ...channel, 'content-type': 'application/json' },
        progress ? progressCall(id, ctx.shape.progressSteps, true) : echoCall(id, true),
      );
      if (sent.status !== 202) {
        ctx.tally.error('polling', `send ${sent.status} ${sent.text}`);
        continue;
      }
      for (let answered = false; !answered;) {
        const polled = await exchange(ctx.url, agent, 'GET', {
          ...channel,
          accept: 'application/json',
          'last-event-id': String(cursor),
        });
        const batch = JSON.parse(polled.text) as { events: Array<{ id: number; message: { id?: string } }> };
        for (const event of batch.events) {
          cursor = event.id;
          if (event.message.id === id) answered = true;
        }
      }
      ctx.tally.add('polling calls');
    } catch (error) {
      ctx.tally.error('polling', failure(error));
    }
  }
  await exchange(ctx.url, agent, 'DELETE', channel).catch(() => undefined);
}

/** Channels opened with one request and never polled again: the idle sweep closes them. */
async function abandonedChannels(ctx: SoakContext, agent: Agent): Promise<void> {
  while (running(ctx)) {
    try {
      const opened = await exchange(ctx.url, agent, 'POST', { ...POLLING, accept: 'application/json' });
      const { channelId } = JSON.parse(opened.text) as { channelId: string };
      await exchange(
        ctx.url,
        agent,
        'POST',
        { ...POLLING, 'mcp-channel-id': channelId, 'content-type': 'application/json' },
        progressCall(nextId(), ctx.shape.progressSteps, true),
      );
      ctx.tally.add('polling channels abandoned');
    } catch (error) {
      ctx.tally.error('abandoned channels', failure(error));
    }
    await sleep(ctx.shape.abandonEveryMs);
  }
}

/** stdio: a window of `callers` requests in flight on the child's stdin, answers read from its stdout. */
async function stdioCaller(ctx: SoakContext, child: ChildProcessWithoutNullStreams): Promise<void> {
  const waiting = new Map<string, () => void>();
  let partial = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      const id = /^\{"jsonrpc":"2\.0","id":"([^"]+)"/.exec(line)?.[1];
      if (id === undefined) continue;
      if (line.includes('"result"')) ctx.tally.add('stdio calls');
      else ctx.tally.error('stdio', line);
      waiting.get(id)?.();
    }
  });
  const call = (id: string, text: string): Promise<void> =>
    new Promise((resolve) => {
      waiting.set(id, () => {
        waiting.delete(id);
        resolve();
      });
      child.stdin.write(`${text}\n`);
    });
  await Promise.all(
    Array.from({ length: ctx.shape.callers }, async () => {
      while (running(ctx) && child.exitCode === null) {
        const id = nextId();
        const progress = Number(id.slice(1)) % 2 === 0;
        await call(id, progress ? progressCall(id, ctx.shape.progressSteps, true) : echoCall(id, true));
      }
    }),
  );
}

function times(count: number, make: () => Promise<void>): Array<Promise<void>> {
  return Array.from({ length: count }, make);
}

/** Every actor, until `ctx.until`. */
export async function runSoakLoad(ctx: SoakContext, stdio: ChildProcessWithoutNullStreams): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: ctx.shape.callers * 4 + 8 });
  try {
    await Promise.all([
      ...times(ctx.shape.callers, () => modernCaller(ctx, agent)),
      ...times(ctx.shape.callers, () => sessionCaller(ctx, agent)),
      ...times(ctx.shape.callers, () => socketCaller(ctx, false)),
      ...times(ctx.shape.callers, () => socketCaller(ctx, true)),
      ...times(ctx.shape.callers, () => pollingCaller(ctx, agent)),
      abandonedStreams(ctx, agent),
      abandonedChannels(ctx, agent),
      stalledStreams(ctx, agent),
      pausedSockets(ctx),
      stdioCaller(ctx, stdio),
    ]);
  } finally {
    agent.destroy();
  }
}
