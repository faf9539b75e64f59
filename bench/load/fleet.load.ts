import { Agent, request } from 'node:http';
import { Redis } from 'ioredis';
import { OwnRedisServer } from '../../test/fleet/support/redis-server.js';
import { HTTP_2025_SESSION, HTTP_2026, openSession } from '../scenarios.js';
import { MODERN_META } from '../shared/messages.js';
import { type RunningServer, startServer } from '../shared/processes.js';
import { runHttp } from './http.load.js';

export interface FleetResult {
  /** Redis commands per 2026 `tools/call` with Redis-backed state (INFO commandstats delta). */
  readonly commandsPerCall: number;
  readonly calls: number;
  readonly listeners: number;
  readonly instances: number;
  /** list_changed raised on one instance until each listener has it, ms. */
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly samples: number;
  /** Redis commands per 2025 session `tools/call` with Redis-backed sessions. */
  readonly sessionCommandsPerCall: number;
  readonly sessionCalls: number;
  /** Redis `used_memory` growth per idle 2025 session, bytes, with `idleSessions` open. */
  readonly redisBytesPerIdleSession: number;
  readonly idleSessions: number;
}

const INSTANCES = 3;
const TRIGGERS = 5;

/**
 * The several-instances phase, on a `redis-server` of its own (so its command counts are ours
 * alone): Redis commands per stateless call under load, then `listeners` open
 * `subscriptions/listen` streams spread over three instances and the delivery latency of a
 * list_changed raised on the first one.
 */
export async function runFleet(
  listeners: number,
  seconds: number,
  idleSessions = 10_000,
): Promise<FleetResult> {
  const redis = await OwnRedisServer.start();
  const servers: RunningServer[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  try {
    const env = { BENCH_REDIS_URL: redis.url, BENCH_REDIS_PREFIX: 'nest-mcp-bench-fleet:' };
    for (let index = 0; index < INSTANCES; index++)
      servers.push(await startServer({ script: 'ours-http', env }));

    const before = await commandCount(redis.url);
    const load = await runHttp(servers[0]!.url, HTTP_2026, 50, seconds);
    const calls = Math.round(load.rps * seconds);
    const commandsPerCall = ((await commandCount(redis.url)) - before) / calls;

    // 2025 sessions on Redis: the load opens its sessions first (not counted), then calls in them.
    const sessionBefore = { count: 0 };
    const sessionLoad = await runHttp(
      servers[0]!.url,
      {
        ...HTTP_2025_SESSION,
        sessions: async (url, count) => {
          const ids = await HTTP_2025_SESSION.sessions!(url, count);
          sessionBefore.count = await commandCount(redis.url);
          return ids;
        },
      },
      50,
      seconds,
    );
    const sessionCalls = Math.round(sessionLoad.rps * seconds);
    const sessionCommandsPerCall = ((await commandCount(redis.url)) - sessionBefore.count) / sessionCalls;

    const memoryBefore = await usedMemory(redis.url);
    let opened = 0;
    await Promise.all(
      Array.from({ length: 50 }, async (_, worker) => {
        while (opened < idleSessions) {
          opened++;
          await openSession(servers[worker % INSTANCES]!.url, opened);
        }
      }),
    );
    const redisBytesPerIdleSession = ((await usedMemory(redis.url)) - memoryBefore) / idleSessions;

    const streams = await Promise.all(
      Array.from({ length: listeners }, (_, index) => openListen(servers[index % INSTANCES]!.url, agent)),
    );
    const latencies: number[] = [];
    for (let round = 0; round < TRIGGERS; round++) {
      const arrivals = streams.map((stream) => stream.next());
      const sentAt = performance.now();
      await touch(servers[0]!.url, agent);
      const times = await Promise.all(arrivals);
      for (const at of times) latencies.push(at - sentAt);
    }
    for (const stream of streams) stream.close();
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
    return {
      commandsPerCall,
      calls,
      listeners,
      instances: INSTANCES,
      p50: at(0.5),
      p99: at(0.99),
      max: latencies.at(-1)!,
      samples: latencies.length,
      sessionCommandsPerCall,
      sessionCalls,
      redisBytesPerIdleSession,
      idleSessions,
    };
  } finally {
    agent.destroy();
    for (const server of servers) await server.stop();
    await redis.kill();
  }
}

/** Commands Redis has processed, less the INFO calls that read the count. */
async function commandCount(url: string): Promise<number> {
  const client = new Redis(url);
  try {
    const stats = await client.info('commandstats');
    let total = 0;
    for (const match of stats.matchAll(/^cmdstat_(\w+):calls=(\d+)/gm)) {
      if (match[1] !== 'info') total += Number(match[2]);
    }
    return total;
  } finally {
    client.disconnect();
  }
}

/** Redis `used_memory`, bytes. */
async function usedMemory(url: string): Promise<number> {
  const client = new Redis(url);
  try {
    const match = /^used_memory:(\d+)/m.exec(await client.info('memory'));
    return Number(match?.[1] ?? 0);
  } finally {
    client.disconnect();
  }
}

interface ListenStream {
  /** Resolves with the arrival time of the next tools list_changed. */
  next(): Promise<number>;
  close(): void;
}

let nextId = 1;

/** The 2026 headers for `subscriptions/listen` (no `Mcp-Name`: a listen names nothing). */
const LISTEN_HEADERS: Record<string, string> = Object.fromEntries(
  Object.entries({ ...HTTP_2026.headers, 'mcp-method': 'subscriptions/listen' }).filter(
    ([name]) => name !== 'mcp-name',
  ),
);

function openListen(url: string, agent: Agent): Promise<ListenStream> {
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: nextId++,
    method: 'subscriptions/listen',
    params: { notifications: { toolsListChanged: true }, _meta: MODERN_META },
  });
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      agent,
      headers: LISTEN_HEADERS,
    });
    req.once('error', reject);
    req.once('response', (res) => {
      let waiting: ((at: number) => void) | undefined;
      let acknowledged = false;
      // The end of the previous chunk too: a method name may be split between two.
      let tail = '';
      res.setEncoding('utf8');
      res.on('data', (data: string) => {
        const chunk = tail + data;
        tail = chunk.slice(-64);
        if (!acknowledged && chunk.includes('notifications/subscriptions/acknowledged')) {
          acknowledged = true;
          resolve({
            next: () => new Promise((resolveNext) => (waiting = resolveNext)),
            close: () => req.destroy(),
          });
        }
        if (chunk.includes('notifications/tools/list_changed') && waiting !== undefined) {
          const resolveNext = waiting;
          waiting = undefined;
          resolveNext(performance.now());
        }
      });
      res.on('error', () => undefined);
    });
    req.end(body);
  });
}

async function touch(url: string, agent: Agent): Promise<void> {
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: nextId++,
    method: 'tools/call',
    params: { name: 'touch', arguments: {}, _meta: MODERN_META },
  });
  await new Promise<void>((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      agent,
      headers: { ...HTTP_2026.headers, 'mcp-name': 'touch' },
    });
    req.once('error', reject);
    req.once('response', (res) => {
      res.resume();
      res.once('end', resolve);
    });
    req.end(body);
  });
}
