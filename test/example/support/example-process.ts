import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The compiled example app's HTTP entry (`src/main.ts`). */
export const EXAMPLE_MAIN = fileURLToPath(new URL('../../../src/main.js', import.meta.url));

/**
 * The example app in a process of its own, as it runs in production: `PORT`, `HOST`, Nest's
 * shutdown hooks. Tests that send it signals or try to crash it need it out of their own process.
 */
export class ExampleProcess {
  /** Everything the app wrote (stdout and stderr), for failure messages. */
  output = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.stdout!.setEncoding('utf8');
    child.stderr!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => (this.output += chunk));
    child.stderr!.on('data', (chunk: string) => (this.output += chunk));
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /** `http://127.0.0.1:<port>/mcp` */
  get url(): string {
    return `http://127.0.0.1:${this.port}/mcp`;
  }

  /** `ws://127.0.0.1:<port>/mcp` */
  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}/mcp`;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the app on `port` (default: a free one) and resolves once it logged that it listens. */
  static async start(
    env: Record<string, string> = {},
    timeoutMs = 15_000,
    port?: number,
  ): Promise<ExampleProcess> {
    port ??= await freePort();
    const child = spawn(process.execPath, [EXAMPLE_MAIN], {
      env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const app = new ExampleProcess(child, port);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`example app not listening: ${app.output}`)),
        timeoutMs,
      );
      child.stdout!.on('data', () => {
        if (app.output.includes('listening on')) {
          clearTimeout(timer);
          resolve();
        }
      });
      void app.exited.then(({ code }) => {
        clearTimeout(timer);
        reject(new Error(`example app exited with ${code}: ${app.output}`));
      });
    });
    return app;
  }

  /** Kills what is left (tests end with this whatever happened). */
  kill(): void {
    if (this.alive) this.child.kill('SIGKILL');
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.once('error', reject);
  });
}
