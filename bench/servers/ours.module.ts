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
      }),
    ],
    providers: [EchoTools],
  })
  class OursBenchModule {}
  return OursBenchModule;
}
