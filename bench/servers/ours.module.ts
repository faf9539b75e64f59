import { Injectable, Module } from '@nestjs/common';
import { McpArgs, McpModule, McpTool } from 'nest-mcp';
import * as z from 'zod';

/** The bench app: one decorated `echo` tool (through the Nest pipeline), zod input. */
@Injectable()
export class EchoTools {
  @McpTool({ name: 'echo', description: 'Echoes text', input: z.object({ text: z.string() }) })
  echo(@McpArgs() { text }: { text: string }): string {
    return text;
  }
}

export function oursModule(responseMode: 'auto' | 'json' | 'sse'): new () => unknown {
  @Module({
    imports: [
      McpModule.forRoot({
        serverInfo: { name: 'nest-mcp-bench', version: '1.0.0' },
        http: { responseMode, maxSessions: 50_000 },
        // The memory phase holds 10,000 sockets plus its warm-up and latency sockets; the
        // default cap (10,000) would refuse the last of them with 503.
        websocket: { maxConnections: 50_000 },
      }),
    ],
    providers: [EchoTools],
  })
  class OursBenchModule {}
  return OursBenchModule;
}
