import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { Tally } from './soak/soak-clients.js';
import { runSoakLoad, type SoakShape } from './soak/soak-load.js';
import { MEMORY_METRICS, type MemoryMetric, type Trend, trendOf } from './soak/memory-trend.js';
import { type MemorySample, parseMemoryLine } from './shared/memory-report.js';
import { machineInfo } from './shared/machine.js';
import { BENCH_DIST, startServer } from './shared/processes.js';

/**
 * `npm run bench:soak [-- --seconds=120] [--warmup=30] [--sample-ms=2000] [--callers=4]
 * [--stalled-streams=10] [--paused-sockets=10] [--churn-ms=2] [--abandon-every-ms=250] [--steps=5]`
 *
 * A soak: the soak app (every transport, short idle timeouts, a tool list that changes every
 * `churn-ms`) under a bounded mixed load for `seconds`: closed-loop tool calls with progress on
 * Streamable HTTP (both eras), WebSocket (both eras), polling and stdio; GET streams abandoned
 * after their first event; GET streams and WebSockets that stop reading for the whole run;
 * polling channels opened and never polled again. Each server reports its memory after a full
 * GC every `sample-ms`; the report is the least-squares slope of RSS and heap (bytes per
 * minute) over the samples after the warm-up, with R². Nothing passes or fails here: a slope
 * that stays up run after run is what to look into; `--stalled-streams=0 --paused-sockets=0` is the control run.
 *
 * Why a list change every 2 ms: on loopback the kernel buffers about 1 MB per connection for a
 * reader that stopped, so server-side growth from stalled readers only shows once more than
 * that was sent to each (a list change is ~130 bytes of SSE). The warm-up covers the bounded
 * caches filling (the event store keeps the last 10,000 streams).
 */
const args = new Map(
  process.argv.slice(2).map((arg) => {
    const [key, value] = arg.replace(/^--/, '').split('=');
    return [key!, value ?? 'true'] as const;
  }),
);
const number = (name: string, fallback: number): number => Number(args.get(name) ?? fallback);
const DEFAULT_SECONDS = 120;
const SECONDS = number('seconds', DEFAULT_SECONDS);
const WARMUP_SECONDS = number('warmup', Math.min(30, SECONDS / 4));
const SAMPLE_MS = number('sample-ms', 2_000);
const CHURN_MS = number('churn-ms', 2);
const shape: SoakShape = {
  callers: number('callers', 4),
  stalledStreams: number('stalled-streams', 10),
  pausedSockets: number('paused-sockets', 10),
  abandonEveryMs: number('abandon-every-ms', 250),
  progressSteps: number('steps', 5),
};
const RESULTS_DIR = join(BENCH_DIST, '..', '..', 'bench', 'results');
const log = (line: string) => process.stderr.write(`${line}\n`);

/** Collects the `MEM` lines of a server's stderr. */
function collectSamples(stream: Readable, into: MemorySample[]): void {
  createInterface({ input: stream }).on('line', (line) => {
    const sample = parseMemoryLine(line);
    if (sample !== undefined) into.push(sample);
  });
}

const serverEnv = {
  SOAK_SAMPLE_MS: String(SAMPLE_MS),
  SOAK_CHURN_MS: String(CHURN_MS),
};

log(
  `soak: ${SECONDS} s (warm-up ${WARMUP_SECONDS} s), ${shape.callers} callers per transport, ` +
    `${shape.stalledStreams} stalled GET streams, ${shape.pausedSockets} paused WebSockets, list change every ${CHURN_MS} ms`,
);
const httpSamples: MemorySample[] = [];
const stdioSamples: MemorySample[] = [];
const server = await startServer({ script: 'soak-http', env: serverEnv }, ['--expose-gc']);
collectSamples(server.child.stderr!, httpSamples);
const stdio = spawn(process.execPath, ['--expose-gc', join(BENCH_DIST, 'servers', 'soak-stdio.server.js')], {
  env: { ...process.env, NODE_ENV: 'production', ...serverEnv },
  stdio: ['pipe', 'pipe', 'pipe'],
}) as ChildProcessWithoutNullStreams;
collectSamples(stdio.stderr, stdioSamples);

const tally = new Tally();
const startedAt = Date.now();
const progress = setInterval(() => {
  const last = httpSamples.at(-1);
  log(
    `  ${Math.round((Date.now() - startedAt) / 1000)} s: server RSS ${mib(last?.rss)}, heap ${mib(last?.heapUsed)}; ` +
      [...tally.counts].map(([name, count]) => `${name} ${count}`).join(', '),
  );
}, 10_000);
try {
  await runSoakLoad({ url: server.url, shape, tally, until: performance.now() + SECONDS * 1000 }, stdio);
} finally {
  clearInterval(progress);
  stdio.stdin.end();
  await server.stop();
  await new Promise((resolve) => (stdio.exitCode === null ? stdio.once('exit', resolve) : resolve(null)));
}

// After the warm-up and before the load stopped (its end frees what the stalled readers held).
const settledFrom = startedAt + WARMUP_SECONDS * 1000;
const loadEnded = startedAt + SECONDS * 1000;
const processes = [
  { name: 'HTTP + WebSocket + polling server', samples: httpSamples },
  { name: 'stdio server', samples: stdioSamples },
].map(({ name, samples }) => {
  const settled = samples.filter((sample) => sample.t >= settledFrom && sample.t <= loadEnded);
  const trends = Object.fromEntries(
    MEMORY_METRICS.map((metric) => [metric, trendOf(settled, metric)]),
  ) as Record<MemoryMetric, Trend | undefined>;
  return { name, trends, samples };
});

const results = {
  date: new Date().toISOString(),
  machine: machineInfo(),
  config: {
    seconds: SECONDS,
    warmupSeconds: WARMUP_SECONDS,
    sampleMs: SAMPLE_MS,
    churnMs: CHURN_MS,
    ...shape,
  },
  processes,
  load: Object.fromEntries(tally.counts),
  lastErrors: Object.fromEntries(tally.lastErrors),
  elapsedSeconds: Math.round((Date.now() - startedAt) / 1000),
};

process.stdout.write(`${renderTable(results.processes)}\n\nload: ${JSON.stringify(results.load)}\n`);
if (tally.lastErrors.size > 0) process.stdout.write(`last errors: ${JSON.stringify(results.lastErrors)}\n`);

// Only a run of the default length (or longer) replaces the published soak results.
mkdirSync(RESULTS_DIR, { recursive: true });
const file = join(RESULTS_DIR, 'soak.json');
writeFileSync(`${file}.tmp`, `${JSON.stringify(results, null, 2)}\n`);
if (SECONDS >= DEFAULT_SECONDS) renameSync(`${file}.tmp`, file);
log(SECONDS >= DEFAULT_SECONDS ? 'wrote bench/results/soak.json' : 'short run: bench/results/soak.json.tmp');

function mib(bytes: number | undefined): string {
  return bytes === undefined ? '?' : `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

function signedMib(bytes: number): string {
  return `${bytes >= 0 ? '+' : '-'}${(Math.abs(bytes) / 2 ** 20).toFixed(2)} MiB`;
}

/** A Markdown table: per process and metric, the level and its slope after the warm-up. */
function renderTable(
  rows: ReadonlyArray<{ name: string; trends: Record<MemoryMetric, Trend | undefined> }>,
): string {
  const lines = [
    '| process | metric | after warm-up | end | max | slope per minute | R² | samples |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const { name, trends } of rows) {
    for (const metric of MEMORY_METRICS) {
      const trend = trends[metric];
      lines.push(
        trend === undefined
          ? `| ${name} | ${metric} | – | – | – | – | – | too few |`
          : `| ${name} | ${metric} | ${mib(trend.first)} | ${mib(trend.last)} | ${mib(trend.max)} | ` +
              `${signedMib(trend.bytesPerMinute)} | ${trend.r2.toFixed(2)} | ${trend.samples} |`,
      );
    }
  }
  return lines.join('\n');
}
