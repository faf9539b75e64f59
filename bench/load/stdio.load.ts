import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { type Measurement, percentiles, Samples } from './measurement.js';

export interface StdioLoad {
  readonly kind: 'stdio';
  /** The request for JSON-RPC id `id`, one line of JSON. */
  readonly call: (id: number) => string;
}

/**
 * A pipelined stdio client: spawns the server, keeps `depth` requests in flight on its
 * stdin, matches answers on stdout by id, for `seconds`; then closes stdin (the server exits).
 */
export async function runStdio(
  command: readonly string[],
  load: StdioLoad,
  depth: number,
  seconds: number,
  warmupSeconds: number,
): Promise<Measurement> {
  const child = spawn(command[0]!, command.slice(1), { stdio: ['pipe', 'pipe', 'ignore'] });
  const sentAt = new Map<number, number>();
  const samples = new Samples();
  let errors = 0;
  let nextId = 1;
  let measuring = false;
  let stopping = false;
  let resolveDone: (() => void) | undefined;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  const send = () => {
    const id = nextId++;
    sentAt.set(id, performance.now());
    child.stdin.write(`${load.call(id)}\n`);
  };
  let pending = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    pending += chunk;
    let newline: number;
    while ((newline = pending.indexOf('\n')) !== -1) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      const match = /"id":(\d+)/.exec(line);
      if (match === null) continue;
      const id = Number(match[1]);
      const started = sentAt.get(id);
      if (started === undefined) continue;
      sentAt.delete(id);
      if (measuring) {
        samples.push(performance.now() - started);
        if (!line.includes('"result"')) errors++;
      }
      if (!stopping) send();
      else if (sentAt.size === 0) resolveDone?.();
    }
  });
  for (let i = 0; i < depth; i++) send();
  await sleep(warmupSeconds * 1000);
  measuring = true;
  const started = performance.now();
  await sleep(seconds * 1000);
  const elapsed = (performance.now() - started) / 1000;
  measuring = false;
  stopping = true;
  const count = samples.count;
  await Promise.race([done, sleep(2000)]);
  child.stdin.end();
  await Promise.race([new Promise((resolve) => child.once('exit', resolve)), sleep(3000)]);
  if (child.exitCode === null) child.kill('SIGKILL');
  return { rps: count / elapsed, ...percentiles(samples.view()), errors };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
