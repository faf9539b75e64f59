import { Injectable, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { McpArgs, type McpContext, McpCtx, McpModule, McpRegistry, McpTool } from 'nest-mcp';
import * as z from 'zod';
import { intEnv } from '../shared/server-ready.js';

/** The soak's tools: `echo`, and `progress`, which reports `steps` progress updates and a log line first. */
@Injectable()
export class SoakTools {
  @McpTool({ name: 'echo', description: 'Echoes text', input: z.object({ text: z.string() }) })
  echo(@McpArgs() { text }: { text: string }): string {
    return text;
  }

  @McpTool({
    name: 'progress',
    description: 'Reports progress, then answers',
    input: z.object({ steps: z.number().int().min(1).max(100) }),
  })
  async progress(@McpArgs() { steps }: { steps: number }, @McpCtx() ctx: McpContext): Promise<string> {
    await ctx.log('info', { steps }, 'soak');
    for (let step = 1; step <= steps; step++) await ctx.reportProgress(step, steps, `step ${step}`);
    return `done ${steps}`;
  }
}

/**
 * Server-initiated traffic: a tool added and removed every `SOAK_CHURN_MS` (default 100 ms),
 * so every 2025 session (GET streams, WebSocket and polling sessions) keeps receiving
 * `notifications/tools/list_changed`, readers that stopped reading included.
 */
@Injectable()
export class ListChurn implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly registry: McpRegistry) {}

  onApplicationBootstrap(): void {
    let present = false;
    this.timer = setInterval(
      () => {
        if (present) this.registry.removeTool('churn');
        else this.registry.addTool({ name: 'churn', description: 'Comes and goes' }, () => 'here');
        present = !present;
      },
      intEnv('SOAK_CHURN_MS', 100),
    );
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}

/**
 * The soak app: every transport on, idle timeouts short enough (`SOAK_IDLE_MS`, default 10 s)
 * that abandoned sessions and channels are swept within the run, so what stays is what leaks.
 */
export function soakModule(): new () => unknown {
  const idleMs = intEnv('SOAK_IDLE_MS', 10_000);
  @Module({
    imports: [
      McpModule.forRoot({
        serverInfo: { name: 'nest-mcp-soak', version: '1.0.0' },
        http: { sessionIdleTimeoutMs: idleMs },
        polling: { channelIdleTimeoutMs: idleMs },
      }),
    ],
    providers: [SoakTools, ListChurn],
  })
  class SoakModule {}
  return SoakModule;
}
