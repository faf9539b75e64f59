import type { FleetResult } from '../load/fleet.load.js';
import type { Measurement } from '../load/measurement.js';
import type { Group } from '../scenarios.js';

export interface ScenarioResult {
  readonly id: string;
  readonly label: string;
  readonly group: Group;
  readonly transport: 'http' | 'ws' | 'stdio';
  readonly connections: number;
  readonly runs: Measurement[];
  readonly median?: Measurement;
  /** Why the scenario was not measured (did not start, did not answer correctly). */
  readonly skipped?: string;
}

export interface MemoryResult {
  readonly id: string;
  readonly label: string;
  readonly kind: string;
  readonly count: number;
  readonly bytesPerItem?: number;
  readonly rssBeforeBytes?: number;
  readonly rssAfterBytes?: number;
  readonly whileHeld?: Measurement;
  readonly skipped?: string;
}

export interface Ratio {
  readonly name: string;
  readonly value: number | undefined;
  /** The issue's target, when this ratio has one. */
  readonly target?: { readonly op: '>=' | '<='; readonly value: number };
  readonly met?: boolean;
}

export interface BenchResults {
  date: string;
  machine: Record<string, unknown>;
  config: Record<string, unknown>;
  main: ScenarioResult[];
  tools: ScenarioResult[];
  latency: ScenarioResult[];
  memory: MemoryResult[];
  ratios: Ratio[];
  /** The several-instances phase (Redis commands per call, list_changed delivery). */
  fleet?: FleetResult;
  elapsedSeconds?: number;
}

const rpsOf = (list: ScenarioResult[], id: string) => list.find((result) => result.id === id)?.median?.rps;

/**
 * The median over rounds of `numerator / denominator` measured in the same round (the two ran
 * back to back, so slow spells of the machine hit both), rather than a ratio of two medians
 * that may come from different rounds.
 */
function medianRoundRatio(
  list: ScenarioResult[],
  numerator: string,
  denominator: string,
): number | undefined {
  const top = list.find((result) => result.id === numerator)?.runs ?? [];
  const bottom = list.find((result) => result.id === denominator)?.runs ?? [];
  const ratios = top
    .slice(0, bottom.length)
    .map((run, round) => run.rps / bottom[round]!.rps)
    .toSorted((a, b) => a - b);
  if (ratios.length === 0) return undefined;
  const mid = ratios.length >> 1;
  return ratios.length % 2 === 1 ? ratios[mid] : (ratios[mid - 1]! + ratios[mid]!) / 2;
}

function ratio(
  name: string,
  numerator: number | undefined,
  denominator: number | undefined,
  target?: Ratio['target'],
): Ratio {
  const value = numerator === undefined || denominator === undefined ? undefined : numerator / denominator;
  const met =
    value === undefined || target === undefined
      ? undefined
      : target.op === '>='
        ? value >= target.value
        : value <= target.value;
  return { name, value, ...(target !== undefined && { target }), ...(met !== undefined && { met }) };
}

/** The issue's targets (ratios measured in this one run) and a few informative ratios. */
export function ratiosOf(results: BenchResults): Ratio[] {
  const main = (id: string) => rpsOf(results.main, id);
  const ours2026 = main('ours-http-2026-json');
  const wsSessions = results.memory.filter(
    (reading) => reading.kind === 'ws-session' && reading.count === 10_000,
  );
  return [
    ratio('HTTP 2026 tools/call: nest-mcp / SDK v2 createMcpHandler', ours2026, main('sdk-v2-2026'), {
      op: '>=',
      value: 3,
    }),
    ratio('HTTP 2026 tools/call: nest-mcp / bare Nest controller', ours2026, main('nest-bare'), {
      op: '>=',
      value: 0.8,
    }),
    ratio(
      'HTTP 2025 session: nest-mcp / SDK v2 session',
      main('ours-http-2025-session'),
      main('sdk-v2-2025-session'),
      { op: '>=', value: 3 },
    ),
    ratio(
      'Throughput with 500 tools / with 1',
      medianRoundRatio(results.tools, 'ours-http-2026-tools-500', 'ours-http-2026-tools-1'),
      1,
      { op: '>=', value: 0.9 },
    ),
    ratio('WebSocket 2026 tools/call: nest-mcp / raw ws', main('ours-ws-2026'), main('raw-ws'), {
      op: '>=',
      value: 0.5,
    }),
    ratio(
      'KiB RSS per WebSocket session at 10,000',
      wsSessions[0]?.bytesPerItem === undefined ? undefined : wsSessions[0].bytesPerItem / 1024,
      1,
      { op: '<=', value: 24 },
    ),
    ratio('p99 ms of tools/call with 10,000 sessions held', wsSessions[0]?.whileHeld?.p99, 1, {
      op: '<=',
      value: 250,
    }),
    ratio(
      'HTTP 2026 on Fastify: nest-mcp / bare Nest Fastify controller',
      main('ours-http-2026-json-fastify'),
      main('nest-bare-fastify'),
      { op: '>=', value: 0.8 },
    ),
    ratio(
      'HTTP 2026 tools/call: verified bearer token / no authorization',
      medianRoundRatio(results.main, 'ours-http-2026-auth', 'ours-http-2026-json'),
      1,
      { op: '>=', value: 0.85 },
    ),
    ratio('HTTP 2026: nest-mcp on Fastify / on Express', main('ours-http-2026-json-fastify'), ours2026),
    ratio(
      'HTTP 2025 session: nest-mcp on Fastify / on Express',
      main('ours-http-2025-session-fastify'),
      main('ours-http-2025-session'),
    ),
    ratio(
      'HTTP 2025 session tools/call: sessions on Redis / in memory',
      main('ours-http-2025-session-redis'),
      main('ours-http-2025-session'),
      { op: '>=', value: 0.5 },
    ),
    ratio('HTTP 2026: nest-mcp / @rekog/mcp-nest', ours2026, main('rekog-2026')),
    ratio('HTTP 2026: nest-mcp / raw node:http', ours2026, main('raw-http')),
    ratio('HTTP 2026: SSE answer / JSON answer', main('ours-http-2026-sse'), ours2026),
    ratio('WebSocket 2026: nest-mcp / SDK v2 over ws', main('ours-ws-2026'), main('sdk-v2-ws')),
  ];
}

const fmt = (value: number | undefined, digits = 0) => (value === undefined ? '—' : value.toFixed(digits));

function table(title: string, rows: ScenarioResult[]): string {
  const lines = [
    `### ${title}`,
    '',
    '| server | transport | conns | req/s (median) | p50 ms | p90 ms | p99 ms | errors |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of rows) {
    const m = row.median;
    lines.push(
      m === undefined
        ? `| ${row.label} | ${row.transport} | ${row.connections} | skipped: ${(row.skipped ?? '').slice(0, 60).replace(/\|/g, '/')} | | | | |`
        : `| ${row.label} | ${row.transport} | ${row.connections} | ${fmt(m.rps)} | ${fmt(m.p50, 2)} | ${fmt(m.p90, 2)} | ${fmt(m.p99, 2)} | ${m.errors} |`,
    );
  }
  return lines.join('\n');
}

/** Markdown tables (the README section pastes them) on stdout. */
export function renderMarkdown(results: BenchResults): string {
  const parts: string[] = [];
  if (results.main.length > 0)
    parts.push(
      table(`tools/call, ${String(results.config['connections'])} concurrent clients`, results.main),
    );
  if (results.tools.length > 0) parts.push(table('Registered tools', results.tools));
  if (results.latency.length > 0) parts.push(table('Latency against concurrent clients', results.latency));
  if (results.memory.length > 0) {
    const lines = [
      '### Memory per held session / socket',
      '',
      '| what | count | KiB each | p99 ms while held |',
      '|---|---:|---:|---:|',
    ];
    for (const reading of results.memory) {
      lines.push(
        reading.skipped !== undefined
          ? `| ${reading.label} | ${reading.count} | skipped: ${reading.skipped.slice(0, 60).replace(/\|/g, '/')} | |`
          : `| ${reading.label} | ${reading.count} | ${fmt((reading.bytesPerItem ?? 0) / 1024, 1)} | ${fmt(reading.whileHeld?.p99, 1)} |`,
      );
    }
    parts.push(lines.join('\n'));
  }
  const ratioLines = ['### Ratios (same run)', '', '| ratio | value | target | |', '|---|---:|---:|---|'];
  for (const r of results.ratios) {
    ratioLines.push(
      `| ${r.name} | ${fmt(r.value, 2)} | ${r.target === undefined ? '' : `${r.target.op} ${r.target.value}`} | ${r.met === undefined ? (r.target === undefined ? '' : 'not measured') : r.met ? 'met' : '**not met**'} |`,
    );
  }
  parts.push(ratioLines.join('\n'));
  return parts.join('\n\n');
}

export function printReport(results: BenchResults): void {
  process.stdout.write(`${renderMarkdown(results)}\n\n`);
  process.stdout.write(
    `${results.machine['cpus']} x ${results.machine['cpuModel']}, Node ${results.machine['node']}; ` +
      `${results.config['runs']} run(s) x ${results.config['seconds']} s each, medians; ${results.elapsedSeconds ?? '?'} s in all\n`,
  );
}
