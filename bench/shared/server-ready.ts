import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Every bench server: listens on 127.0.0.1 on a free port, prints `READY <port>` on stdout,
 * runs `gc()` on SIGUSR2 (when started with --expose-gc, for memory readings), and exits
 * when its parent goes away (stdin closes) or on SIGTERM, so no server outlives a run.
 */
export function announce(server: Server | { address(): AddressInfo | string | null }): void {
  const address = server.address() as AddressInfo;
  process.stdout.write(`READY ${address.port}\n`);
}

export function benchProcessHooks(): void {
  process.on('SIGUSR2', () => (globalThis as { gc?: () => void }).gc?.());
  process.on('SIGTERM', () => process.exit(0));
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('close', () => process.exit(0));
  process.stdin.resume();
}

export function intEnv(name: string, fallback: number): number {
  const value = process.env[name];
  return value === undefined ? fallback : Number(value);
}
