import 'reflect-metadata';
import type { Server } from 'node:http';
import { Body, Controller, HttpCode, Module, Post } from '@nestjs/common';
import { createAppOnPlatform } from '../../src/http-platform.js';
import { echoAnswer } from '../shared/messages.js';
import { announce, benchProcessHooks } from '../shared/server-ready.js';

/**
 * The Nest ceiling on the same adapter (Express, or Fastify with MCP_PLATFORM=fastify): a
 * controller receiving the parsed JSON body (Nest's default parser) and returning the same
 * answer, no MCP work at all.
 */
@Controller('mcp')
class EchoController {
  @Post()
  @HttpCode(200)
  call(@Body() body: { id?: unknown }): unknown {
    return echoAnswer(body.id);
  }
}

@Module({ controllers: [EchoController] })
class BareModule {}

benchProcessHooks();
const app = await createAppOnPlatform(BareModule, { logger: false });
await app.listen(0, '127.0.0.1');
announce(app.getHttpServer() as Server);
