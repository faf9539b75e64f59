/** One memory reading of a server process, after a full GC (`--expose-gc`). */
export interface MemorySample {
  /** `Date.now()` */
  readonly t: number;
  readonly rss: number;
  readonly heapUsed: number;
  readonly external: number;
  readonly arrayBuffers: number;
}

const PREFIX = 'MEM ';

/**
 * Writes a `MEM {json}` line to stderr every `periodMs` (stderr: a stdio server's stdout is
 * its MCP channel). A full GC first, so the heap figure is what is retained, not garbage.
 */
export function reportMemory(periodMs: number): void {
  setInterval(() => {
    (globalThis as { gc?: () => void }).gc?.();
    const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
    const sample: MemorySample = { t: Date.now(), rss, heapUsed, external, arrayBuffers };
    process.stderr.write(`${PREFIX}${JSON.stringify(sample)}\n`);
  }, periodMs).unref();
}

/** The sample on a stderr line, if it is one. */
export function parseMemoryLine(line: string): MemorySample | undefined {
  return line.startsWith(PREFIX) ? (JSON.parse(line.slice(PREFIX.length)) as MemorySample) : undefined;
}
