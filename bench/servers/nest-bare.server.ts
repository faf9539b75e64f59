import 'reflect-metadata';
import type { Server } from 'node:http';
import { Body, Controller, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { httpAdapterFromEnv } from '../../src/http-platform.js';
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
const adapter = httpAdapterFromEnv();
const app =
  adapter === undefined
    ? await NestFactory.create(BareModule, { logger: false })
    : await NestFactory.create(BareModule, adapter, { logger: false });
await app.listen(0, '127.0.0.1');
announce(app.getHttpServer() as Server);
