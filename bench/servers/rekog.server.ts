import 'reflect-metadata';
import type { Server } from 'node:http';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Payload } from '@nestjs/microservices';
import { McpController, McpStrategy, StreamableHttpTransport, Tool } from '@rekog/mcp-nest';
import * as z from 'zod';
import { announce, benchProcessHooks } from '../shared/server-ready.js';

/**
 * @rekog/mcp-nest 2.x (the most used Nest MCP module) as its README sets it up: an
 * `McpStrategy` microservice with the Streamable HTTP transport self-mounted on the Express
 * adapter, stateless, both eras ('dual'), and one `@Tool` on an `@McpController`.
 */
@McpController()
class EchoController {
  @Tool({ name: 'echo', description: 'Echoes text', parameters: z.object({ text: z.string() }) })
  echo(@Payload() { text }: { text: string }) {
    return { content: [{ type: 'text', text }] };
  }
}

const mcp = new McpStrategy({
  name: 'rekog-bench',
  version: '1.0.0',
  transports: [new StreamableHttpTransport({ endpoint: 'mcp' })],
  logging: false,
});

@Module({ controllers: [EchoController] })
class RekogModule {}

benchProcessHooks();
const app = await NestFactory.create(RekogModule, { logger: false });
mcp.setHttpAdapter(app.getHttpAdapter());
app.connectMicroservice({ strategy: mcp });
await app.startAllMicroservices();
await app.listen(0, '127.0.0.1');
announce(app.getHttpServer() as Server);
