import { Injectable, Module } from '@nestjs/common';
import { McpArgs, McpModule, McpRegistry, McpTool } from 'nest-mcp';
import { redisStateOptions } from 'nest-mcp/redis';
import * as z from 'zod';
import { BENCH_ISSUER, BENCH_RESOURCE } from '../shared/bench-auth.js';

/** The bench app: one decorated `echo` tool (through the Nest pipeline), zod input. */
@Injectable()
export class EchoTools {
  @McpTool({ name: 'echo', description: 'Echoes text', input: z.object({ text: z.string() }) })
  echo(@McpArgs() { text }: { text: string }): string {
    return text;
  }
}

/** With Redis state: `touch` adds or removes a runtime tool, a list_changed for the whole fleet. */
@Injectable()
export class ChangeTrigger {
  constructor(private readonly registry: McpRegistry) {}

  @McpTool({ name: 'touch', description: 'Changes the tool list' })
  touch(): string {
    if (!this.registry.removeTool('touched')) this.registry.addTool({ name: 'touched' }, () => 'ok');
    return 'changed';
  }
}

/** `BENCH_REDIS_URL` (and `BENCH_REDIS_PREFIX`): state on Redis, as several instances run. */
function stateOptions() {
  const url = process.env['BENCH_REDIS_URL'];
  if (url === undefined) return {};
  return redisStateOptions({
    url,
    keyPrefix: process.env['BENCH_REDIS_PREFIX'] ?? 'nest-mcp-bench:',
    requestStateKeys: ['bench-request-state-key-0123456789abcdef'],
  });
}

/**
 * `BENCH_AUTH_JWKS_URI`: a protected resource verifying JWTs of the bench issuer, keys from that
 * URL; `echo` then needs the `bench:call` scope, so the scope check runs on every call too.
 */
function authOptions() {
  const jwksUri = process.env['BENCH_AUTH_JWKS_URI'];
  if (jwksUri === undefined) return {};
  return {
    auth: {
      resource: BENCH_RESOURCE,
      authorizationServers: [BENCH_ISSUER],
      defaultScopes: ['bench:call'],
      jwt: { jwksUri },
    },
  };
}

export function oursModule(responseMode: 'auto' | 'json' | 'sse'): new () => unknown {
  const redis = process.env['BENCH_REDIS_URL'] !== undefined;
  @Module({
    imports: [
      McpModule.forRoot({
        serverInfo: { name: 'nest-mcp-bench', version: '1.0.0' },
        http: { responseMode, maxSessions: 50_000 },
        // The memory phase holds 10,000 sockets plus its warm-up and latency sockets; the
        // default cap (10,000) would refuse the last of them with 503.
        websocket: { maxConnections: 50_000 },
        ...stateOptions(),
        ...authOptions(),
      }),
    ],
    providers: redis ? [EchoTools, ChangeTrigger] : [EchoTools],
  })
  class OursBenchModule {}
  return OursBenchModule;
}
