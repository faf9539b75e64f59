import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { renderChart } from './report/chart.js';
import { printReport, ratiosOf, type BenchResults, type ScenarioResult } from './report/report.js';
import { runHttp } from './load/http.load.js';
import type { Measurement } from './load/measurement.js';
import { runStdio } from './load/stdio.load.js';
import { runFleet } from './load/fleet.load.js';
import { openClient, runWs } from './load/ws.load.js';
import {
  LATENCY_CONCURRENCY,
  LATENCY_SCENARIOS,
  MAIN_SCENARIOS,
  MEMORY_COUNTS,
  MEMORY_SCENARIOS,
  type MemoryScenario,
  openSession,
  type Scenario,
  stdioCommand,
  TOOL_COUNTS,
  toolsScenario,
} from './scenarios.js';
import { isEchoAnswer } from './shared/messages.js';
import { machineInfo } from './shared/machine.js';
import { BENCH_DIST, rssOf, type RunningServer, startServer } from './shared/processes.js';

/**
 * `npm run bench [-- --quick] [--runs=N] [--tools-runs=N] [--seconds=S]
 * [--phases=main,tools,latency,memory,fleet] [--only=id,id] [--listeners=N] [--cpu-prof=id]`: starts every server in its own process on 127.0.0.1,
 * loads each from this process in turn (round robin over the runs, so background noise is
 * spread over all of them), reports medians, writes results JSON and an SVG chart.
 */
const args = new Map(
  process.argv.slice(2).map((arg) => {
    const [key, value] = arg.replace(/^--/, '').split('=');
    return [key!, value ?? 'true'] as const;
  }),
);
const quick = args.has('quick');
const RUNS = Number(args.get('runs') ?? (quick ? 1 : 3));
const SECONDS = Number(args.get('seconds') ?? (quick ? 2 : 5));
const LATENCY_SECONDS = Number(args.get('latency-seconds') ?? (quick ? 2 : 3));
const WARMUP_SECONDS = quick ? 1 : 2;
const CONNECTIONS = 50;
// The 500/1 tools ratio compares one server with itself at a difference of a few percent, so
// machine noise decides it unless there are more rounds (their per-round ratios are medianed).
const TOOLS_RUNS = Number(args.get('tools-runs') ?? (quick ? RUNS : Math.max(RUNS, 5)));
const phases = new Set((args.get('phases') ?? 'main,tools,latency,memory,fleet').split(','));
const only = args.has('only') ? new Set(args.get('only')!.split(',')) : undefined;
const cpuProf = args.get('cpu-prof');
const memoryCounts = quick ? [1_000] : [...MEMORY_COUNTS];
const RESULTS_DIR = join(BENCH_DIST, '..', '..', 'bench', 'results');

const log = (line: string) => process.stderr.write(`${line}\n`);
const median = (values: number[]) => {
  const sorted = values.toSorted((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const medianOf = (runs: Measurement[]): Measurement => ({
  rps: median(runs.map((run) => run.rps)),
  p50: median(runs.map((run) => run.p50)),
  p90: median(runs.map((run) => run.p90)),
  p99: median(runs.map((run) => run.p99)),
  errors: runs.reduce((sum, run) => sum + run.errors, 0),
});

function nodeArgsFor(id: string): string[] {
  return cpuProf === id
    ? ['--cpu-prof', `--cpu-prof-dir=${RESULTS_DIR}`, `--cpu-prof-name=${id}.cpuprofile`]
    : [];
}

/** One call before loading: a server that does not answer correctly is reported, not measured. */
async function verify(scenario: Scenario, server: RunningServer): Promise<string | undefined> {
  const load = scenario.load;
  try {
    if (load.kind === 'http') {
      const sessionId = load.sessions === undefined ? undefined : await openSession(server.url, 999_999);
      const headers =
        sessionId === undefined ? load.headers : { ...load.headers, 'mcp-session-id': sessionId };
      const response = await fetch(server.url, { method: 'POST', headers, body: load.body(1) });
      const text = await response.text();
      return response.ok && isEchoAnswer(text) ? undefined : `HTTP ${response.status}: ${text.slice(0, 200)}`;
    }
    if (load.kind === 'ws') {
      const socket = await openClient(server.url.replace(/^http/, 'ws'), load, 900_000_000);
      const answer = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no answer within 5 s')), 5000);
        socket.on('message', (data) => {
          const text = String(data);
          if (!text.includes('"id":1,') && !text.includes('"id":1}')) return;
          clearTimeout(timer);
          resolve(text);
        });
        socket.send(load.call(1));
      });
      socket.terminate();
      return isEchoAnswer(answer) ? undefined : answer.slice(0, 200);
    }
    return undefined;
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    return error instanceof Error
      ? `${error.message}${cause instanceof Error ? `: ${cause.message}` : ''}`
      : String(error);
  }
}

async function measure(
  scenario: Scenario,
  server: RunningServer | undefined,
  connections: number,
  seconds: number,
): Promise<Measurement> {
  const load = scenario.load;
  if (load.kind === 'http') return runHttp(server!.url, load, connections, seconds);
  if (load.kind === 'ws') return runWs(server!.url, load, connections, seconds);
  return runStdio(stdioCommand(scenario.server), load, connections, seconds, WARMUP_SECONDS);
}

/**
 * Starts the scenarios' servers (all at once: idle servers cost nothing), checks each
 * answers correctly, warms it, then measures `runs` rounds over all of them.
 */
async function compare(
  scenarios: readonly Scenario[],
  connections: number,
  seconds: number,
  runs = RUNS,
): Promise<ScenarioResult[]> {
  const servers = new Map<string, RunningServer>();
  const results = new Map<string, ScenarioResult>();
  try {
    await Promise.all(
      scenarios.map(async (scenario) => {
        if (scenario.load.kind === 'stdio') return;
        servers.set(scenario.id, await startServer(scenario.server, nodeArgsFor(scenario.id)));
      }),
    );
    const ready: Scenario[] = [];
    for (const scenario of scenarios) {
      const server = servers.get(scenario.id);
      const problem = server === undefined ? undefined : await verify(scenario, server);
      const base = {
        id: scenario.id,
        label: scenario.label,
        group: scenario.group,
        transport: scenario.load.kind,
        connections,
      };
      if (problem !== undefined) {
        log(`  skip ${scenario.id}: ${problem}`);
        results.set(scenario.id, { ...base, skipped: problem, runs: [] });
        continue;
      }
      if (scenario.load.kind !== 'stdio') await measure(scenario, server, connections, WARMUP_SECONDS);
      results.set(scenario.id, { ...base, runs: [] });
      ready.push(scenario);
    }
    for (let run = 1; run <= runs; run++) {
      // Each round starts one scenario later, so none is always measured first (after an
      // idle pause) or right behind the same neighbour.
      const shift = (run - 1) % Math.max(ready.length, 1);
      for (const scenario of [...ready.slice(shift), ...ready.slice(0, shift)]) {
        const measurement = await measure(scenario, servers.get(scenario.id), connections, seconds);
        results.get(scenario.id)!.runs.push(measurement);
        log(
          `  run ${run}/${runs} ${scenario.id.padEnd(28)} c=${String(connections).padEnd(3)} ${measurement.rps.toFixed(0).padStart(7)}/s` +
            `  p50 ${measurement.p50.toFixed(2)} p99 ${measurement.p99.toFixed(2)} ms${measurement.errors ? `  errors ${measurement.errors}` : ''}`,
        );
      }
    }
  } finally {
    await Promise.all([...servers.values()].map((server) => server.stop()));
  }
  return scenarios.map((scenario) => {
    const result = results.get(scenario.id)!;
    return result.runs.length === 0 ? result : { ...result, median: medianOf(result.runs) };
  });
}

// ---- memory -------------------------------------------------------------------------------------

async function settledRss(server: RunningServer): Promise<number> {
  process.kill(server.pid, 'SIGUSR2');
  await new Promise((resolve) => setTimeout(resolve, 500));
  return rssOf(server.pid);
}

async function holdHttpSessions(url: string, count: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      while (next < count) await openSession(url, next++);
    }),
  );
}

/** The soft limit on open files, which this process and the servers it starts inherit. */
function openFilesLimit(): number {
  const match = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
  return match === null || match[1] === 'unlimited' ? Number.POSITIVE_INFINITY : Number(match[1]);
}

async function measureMemory(scenario: MemoryScenario, count: number) {
  // Both ends hold every socket: the warm-up 100, the counted ones, the 50 of the latency
  // reading, plus what Node itself keeps open. Better a clear skip than EMFILE half way.
  const needed = count + 100 + CONNECTIONS + 200;
  const limit = openFilesLimit();
  if (limit < needed)
    throw new Error(
      `open files limit ${limit} < ${needed}: raise it (ulimit -n ${needed}) to hold ${count} sockets`,
    );
  const server = await startServer(scenario.server, ['--expose-gc']);
  const sockets: import('ws').WebSocket[] = [];
  const hold = async (n: number, offset: number) => {
    if (scenario.kind === 'http-session') return holdHttpSessions(server.url, n);
    const wsUrl = server.url.replace(/^http/, 'ws');
    const load = scenario.kind === 'ws-idle' ? { ...scenario.load!, handshake: () => [] } : scenario.load!;
    for (let i = 0; i < n; i += 100) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(100, n - i) }, (_, j) =>
          openClient(wsUrl, load, (offset + i + j) * 10),
        ),
      );
      sockets.push(...batch);
    }
  };
  try {
    // A first 100 (not counted) warm the code paths and pools, so the reading is the held state.
    await hold(100, 0);
    const before = await settledRss(server);
    let latency: Measurement | undefined;
    await hold(count, 100);
    const after = await settledRss(server);
    if (scenario.load !== undefined)
      latency = await runWs(server.url, scenario.load, CONNECTIONS, LATENCY_SECONDS);
    return {
      id: scenario.id,
      label: scenario.label,
      kind: scenario.kind,
      count,
      rssBeforeBytes: before,
      rssAfterBytes: after,
      bytesPerItem: (after - before) / count,
      ...(latency !== undefined && { whileHeld: latency }),
    };
  } finally {
    for (const socket of sockets) socket.terminate();
    await server.stop();
  }
}

// ---- main ----------------------------------------------------------------------------------------

const startedAt = performance.now();
mkdirSync(RESULTS_DIR, { recursive: true });
const results: BenchResults = {
  date: new Date().toISOString(),
  machine: machineInfo(),
  config: { quick, runs: RUNS, seconds: SECONDS, latencySeconds: LATENCY_SECONDS, connections: CONNECTIONS },
  main: [],
  tools: [],
  latency: [],
  memory: [],
  ratios: [],
};

if (phases.has('main')) {
  log(`main comparison: ${CONNECTIONS} connections, ${RUNS} x ${SECONDS} s`);
  results.main = await compare(
    MAIN_SCENARIOS.filter((scenario) => only === undefined || only.has(scenario.id)),
    CONNECTIONS,
    SECONDS,
  );
}
if (phases.has('tools')) {
  log(`throughput against registered tools: ${TOOL_COUNTS.join(', ')}, ${TOOLS_RUNS} x ${SECONDS} s`);
  results.tools = await compare(TOOL_COUNTS.map(toolsScenario), CONNECTIONS, SECONDS, TOOLS_RUNS);
}
if (phases.has('latency')) {
  for (const connections of LATENCY_CONCURRENCY) {
    log(`latency at ${connections} concurrent clients`);
    const scenarios = MAIN_SCENARIOS.filter((scenario) => LATENCY_SCENARIOS.includes(scenario.id));
    results.latency.push(...(await compare(scenarios, connections, LATENCY_SECONDS)));
  }
}
if (phases.has('memory')) {
  for (const scenario of MEMORY_SCENARIOS) {
    for (const count of memoryCounts) {
      log(`memory: ${scenario.id} x ${count}`);
      try {
        const reading = await measureMemory(scenario, count);
        log(`  ${(reading.bytesPerItem / 1024).toFixed(1)} KiB each`);
        results.memory.push(reading);
      } catch (error) {
        const reason = error instanceof Error ? error.message.split('\n')[0]! : String(error);
        log(`  skip: ${reason}`);
        results.memory.push({
          id: scenario.id,
          label: scenario.label,
          kind: scenario.kind,
          count,
          skipped: reason,
        });
      }
    }
  }
}
if (phases.has('fleet')) {
  const listeners = Number(args.get('listeners') ?? 3_000);
  log(
    `several instances on Redis: commands per call, list_changed to ${listeners} listeners over 3 instances`,
  );
  const fleet = await runFleet(listeners, SECONDS);
  log(
    `  ${fleet.commandsPerCall.toFixed(4)} Redis commands per 2026 tools/call (${fleet.calls} calls); ` +
      `list_changed p50 ${fleet.p50.toFixed(1)} ms, p99 ${fleet.p99.toFixed(1)} ms, max ${fleet.max.toFixed(1)} ms ` +
      `(${fleet.samples} deliveries)`,
  );
  log(
    `  ${fleet.sessionCommandsPerCall.toFixed(2)} Redis commands per 2025 session tools/call (${fleet.sessionCalls} calls); ` +
      `${(fleet.redisBytesPerIdleSession / 1024).toFixed(2)} KiB of Redis memory per idle session at ${fleet.idleSessions}`,
  );
  results.fleet = fleet;
}
results.ratios = ratiosOf(results);
results.elapsedSeconds = Math.round((performance.now() - startedAt) / 1000);
printReport(results);

// Only a full run (every phase, every server, full length) may replace the published results.
const partial = quick || only !== undefined || phases.size < 5;
const write = (name: string, text: string) => {
  const file = join(RESULTS_DIR, name);
  writeFileSync(`${file}.tmp`, text);
  if (!partial) renameSync(`${file}.tmp`, file);
};
write('latest.json', `${JSON.stringify(results, null, 2)}\n`);
write('chart.svg', renderChart(results));
log(
  partial
    ? `partial run: results in bench/results/*.tmp (latest.json and chart.svg untouched)`
    : `wrote bench/results/latest.json and bench/results/chart.svg`,
);
