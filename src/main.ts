import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { AppModule } from './app.module.js';
import { createAppOnPlatform } from './http-platform.js';

/**
 * Serves the example app over HTTP on `HOST:PORT` (default 127.0.0.1:3000) at `/mcp`, on
 * Express or, with `MCP_PLATFORM=fastify`, on Fastify.
 */
async function main(): Promise<void> {
  const app = await createAppOnPlatform(AppModule, {});
  app.enableShutdownHooks();
  const port = Number(process.env['PORT'] ?? 3000);
  const host = process.env['HOST'] ?? '127.0.0.1';
  await app.listen(port, host);
  new Logger('Example').log(`MCP server listening on http://${host}:${port}/mcp`);
  if (process.env['MCP_WEBSOCKET'] !== 'off') {
    new Logger('Example').log(`MCP over WebSocket on ws://${host}:${port}/mcp (subprotocol mcp)`);
  }
}

await main();
