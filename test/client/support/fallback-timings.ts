import { writeFileSync } from 'node:fs';
import type { TransportAttempt, TransportName } from '../../../libs/mcp/src/client/index.js';

/** One measured connection: the middlebox it went through and what each step cost. */
export interface TimingRow {
  readonly path: string;
  readonly era: string;
  readonly chosen: TransportName | undefined;
  readonly attempts: readonly TransportAttempt[];
  readonly totalMs: number;
}

const rows: TimingRow[] = [];

export function recordTiming(row: TimingRow): void {
  rows.push(row);
}

/** Prints the table (and writes it as JSON next to the compiled specs) for the closing note. */
export function printTimings(file: string): void {
  if (rows.length === 0) return;
  const lines = ['', 'fallback timings (ms per step; proof timeout as configured in the spec)'];
  for (const row of rows) {
    const steps = row.attempts
      .map((attempt) => `${attempt.transport} ${attempt.ok ? 'ok' : 'failed'} ${attempt.ms}`)
      .join(' -> ');
    lines.push(`  ${row.path.padEnd(28)} ${row.era.padEnd(6)} ${steps}  (total ${row.totalMs})`);
  }
  // oxlint-disable-next-line no-console -- the timings are this spec's report
  console.log(lines.join('\n'));
  writeFileSync(file, JSON.stringify(rows, null, 2));
}
