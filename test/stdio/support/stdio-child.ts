import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The compiled fixture app (`bootstrapStdio(StdioFixtureModule)`). */
export const FIXTURE_MAIN = fileURLToPath(new URL('../fixture/stdio-fixture.main.js', import.meta.url));

/**
 * A raw peer on a spawned fixture process: it writes lines to stdin and records every stdout
 * line as it came, so tests can assert on the bytes an SDK client would hide.
 */
export class StdioChild {
  readonly stdoutLines: string[] = [];
  stderr = '';
  readonly exited: Promise<number | null>;
  private partial = '';
  private waiters: Array<() => void> = [];

  private constructor(readonly process: ChildProcessWithoutNullStreams) {
    process.stdout.setEncoding('utf8');
    process.stdout.on('data', (chunk: string) => {
      const pieces = (this.partial + chunk).split('\n');
      this.partial = pieces.pop()!;
      this.stdoutLines.push(...pieces);
      for (const waiter of this.waiters.splice(0)) waiter();
    });
    process.stderr.setEncoding('utf8');
    process.stderr.on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => process.once('exit', (code) => resolve(code)));
  }

  static spawn(): StdioChild {
    return new StdioChild(spawn(process.execPath, [FIXTURE_MAIN], { stdio: 'pipe' }));
  }

  writeLine(text: string): void {
    this.process.stdin.write(`${text}\n`);
  }

  /** Every stdout line parsed; throws on the first line that is not JSON. */
  messages(): Array<Record<string, any>> {
    return this.stdoutLines.map((line) => JSON.parse(line) as Record<string, any>);
  }

  async request(id: number, method: string, params?: Record<string, unknown>): Promise<Record<string, any>> {
    this.writeLine(JSON.stringify({ jsonrpc: '2.0', id, method, ...(params && { params }) }));
    return this.waitFor((message) => message['id'] === id && !('method' in message));
  }

  async waitFor(
    predicate: (message: Record<string, any>) => boolean,
    timeoutMs = 10_000,
  ): Promise<Record<string, any>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages().find(predicate);
      if (found !== undefined) return found;
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new Error(
          `no matching message; stdout: ${this.stdoutLines.join('\n')}; stderr: ${this.stderr}`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Closes stdin, as a client ending the session does, and returns the exit code. */
  async endInput(timeoutMs = 10_000): Promise<number | null> {
    this.process.stdin.end();
    return withTimeout(this.exited, timeoutMs, 'the server did not exit after stdin closed');
  }

  kill(): void {
    if (this.process.exitCode === null) this.process.kill('SIGKILL');
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(what)), ms);
    }),
  ]);
}
