import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createAppOnPlatform } from '../../src/http-platform.js';
import { ConformanceModule } from './conformance.module.js';

/** `npm run start:conformance`: the fixture on 127.0.0.1:PORT at /mcp, on Express or (`MCP_PLATFORM=fastify`) Fastify. */
const app = await createAppOnPlatform(ConformanceModule, { logger: ['error', 'warn'] });
app.enableShutdownHooks();
const port = Number(process.env['PORT'] ?? 3001);
await app.listen(port, '127.0.0.1');
new Logger('Conformance').warn(`conformance fixture listening on http://127.0.0.1:${port}/mcp`);
