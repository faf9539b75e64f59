/** One loader run against one server. Latencies in milliseconds. */
export interface Measurement {
  /** Completed calls per second (requests, round trips or stdio calls). */
  readonly rps: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  /** Transport errors, timeouts and wrong answers (non-2xx, JSON-RPC errors). */
  readonly errors: number;
}

/** Percentiles of latency samples (ms), sorted in place. */
export function percentiles(samples: Float64Array): Pick<Measurement, 'p50' | 'p90' | 'p99'> {
  if (samples.length === 0) return { p50: 0, p90: 0, p99: 0 };
  samples.sort();
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99) };
}

/** A growable sample buffer: latency of every call, no per-sample object. */
export class Samples {
  private buffer = new Float64Array(1 << 16);
  private length = 0;
  push(value: number): void {
    if (this.length === this.buffer.length) {
      const grown = new Float64Array(this.buffer.length * 2);
      grown.set(this.buffer);
      this.buffer = grown;
    }
    this.buffer[this.length++] = value;
  }
  get count(): number {
    return this.length;
  }
  view(): Float64Array {
    return this.buffer.subarray(0, this.length);
  }
}
