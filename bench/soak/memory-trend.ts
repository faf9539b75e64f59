import type { MemorySample } from '../shared/memory-report.js';

/** A least-squares line through memory readings: growth per minute, and how well a line fits. */
export interface Trend {
  readonly bytesPerMinute: number;
  /** Coefficient of determination (0..1): near 1, steady growth; near 0, noise around a level. */
  readonly r2: number;
  readonly first: number;
  readonly last: number;
  readonly max: number;
  readonly samples: number;
}

export type MemoryMetric = 'rss' | 'heapUsed' | 'external' | 'arrayBuffers';
export const MEMORY_METRICS: readonly MemoryMetric[] = ['rss', 'heapUsed', 'external', 'arrayBuffers'];

/** Ordinary least squares of `metric` against time in minutes. */
export function trendOf(samples: readonly MemorySample[], metric: MemoryMetric): Trend | undefined {
  if (samples.length < 3) return undefined;
  const t0 = samples[0]!.t;
  const xs = samples.map((sample) => (sample.t - t0) / 60_000);
  const ys = samples.map((sample) => sample[metric]);
  const n = xs.length;
  const meanX = xs.reduce((sum, x) => sum + x, 0) / n;
  const meanY = ys.reduce((sum, y) => sum + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let index = 0; index < n; index++) {
    const dx = xs[index]! - meanX;
    const dy = ys[index]! - meanY;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return {
    bytesPerMinute: slope,
    r2: sxx === 0 || syy === 0 ? 0 : (sxy * sxy) / (sxx * syy),
    first: ys[0]!,
    last: ys[n - 1]!,
    max: Math.max(...ys),
    samples: n,
  };
}
