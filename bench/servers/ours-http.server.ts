import 'reflect-metadata';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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
// BENCH_AUTH_JWK: this process also serves the bench issuer's JWKS, on a port of its own.
const jwk = process.env['BENCH_AUTH_JWK'];
if (jwk !== undefined) {
  const jwks = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [JSON.parse(jwk)] }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  process.env['BENCH_AUTH_JWKS_URI'] = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks`;
  jwks.unref();
}
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
