import 'reflect-metadata';
import type { Server } from 'node:http';
import { McpRegistry } from 'nest-mcp';
import * as z from 'zod';
import { createAppOnPlatform } from '../../src/http-platform.js';
import { announce, benchProcessHooks, intEnv } from '../shared/server-ready.js';
import { oursModule } from './ours.module.js';

/**
 * nest-mcp over Streamable HTTP, both eras on `/mcp`, on Express or (MCP_PLATFORM=fastify)
 * Fastify. BENCH_RESPONSE_MODE picks JSON ('auto')
 * or SSE ('sse') answers; BENCH_TOOLS registers that many tools in total (the extra ones at
 * runtime, each with its own schema) to show the call path does not grow with the catalog.
 */
benchProcessHooks();
const mode = (process.env['BENCH_RESPONSE_MODE'] ?? 'auto') as 'auto' | 'sse';
const app = await createAppOnPlatform(oursModule(mode), { logger: false });
const registry = app.get(McpRegistry);
for (let i = 1; i < intEnv('BENCH_TOOLS', 1); i++) {
  registry.addTool(
    {
      name: `tool_${i}`,
      description: `Filler tool ${i}`,
      input: z.object({ value: z.number(), note: z.string().optional() }),
    },
    ({ value }: { value: number }) => String(value),
  );
}
await app.listen(0, '127.0.0.1');
announce(app.getHttpServer() as Server);
