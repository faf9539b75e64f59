import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** dist/bench, where the compiled servers live. */
export const BENCH_DIST = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface RunningServer {
  readonly port: number;
  readonly pid: number;
  readonly url: string;
  /** The server's process (its stderr carries what a server reports, e.g. memory readings). */
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

export interface ServerSpec {
  /** File name under dist/bench/servers without `.server.js`. */
  readonly script: string;
  readonly env?: Record<string, string>;
}

/**
 * Starts a bench server in its own process and waits for its `READY <port>` line. The
 * child's stdin is a pipe from us: if this process dies, the server sees stdin end and exits.
 */
export function startServer(spec: ServerSpec, nodeArgs: readonly string[] = []): Promise<RunningServer> {
  const script = join(BENCH_DIST, 'servers', `${spec.script}.server.js`);
  const child = spawn(process.execPath, [...nodeArgs, script], {
    env: { ...process.env, NODE_ENV: 'production', ...spec.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + String(chunk)).slice(-4000)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${spec.script} did not start within 20 s\n${stderr}`));
    }, 20_000);
    let out = '';
    const onData = (chunk: Buffer) => {
      out += String(chunk);
      const match = /READY (\d+)/.exec(out);
      if (match === null) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.stdout!.resume();
      const port = Number(match[1]);
      resolve({
        port,
        pid: child.pid!,
        url: `http://127.0.0.1:${port}/mcp`,
        child,
        stop: () => stopChild(child),
      });
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${spec.script} exited (${code}) before it was ready\n${stderr}`));
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.stdin!.end();
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** Resident set size of a process in bytes (Linux /proc). */
export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match === null ? Number.NaN : Number(match[1]) * 1024;
}
