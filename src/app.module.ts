import { Module } from '@nestjs/common';
import { McpModule } from 'nest-mcp';
import { BearerAuthGuard } from './auth/bearer-auth.guard.js';
import { resourceServerOptions } from './auth/resource-server.options.js';
import { NotesModule } from './notes/notes.module.js';
import { sharedStateOptions } from './shared-state.options.js';

/** MCP_AUTH_ISSUER + MCP_RESOURCE_URL: an OAuth protected resource (see resource-server.options.ts). */
const resourceServer = resourceServerOptions();

/** The example app: a notes service exposed to AI agents at `/mcp`. */
@Module({
  imports: [
    McpModule.forRoot({
      serverInfo: { name: 'notes-example', version: '0.1.0', title: 'Notes (nest-mcp example)' },
      instructions: 'A small notes service. Search before creating duplicates; deleting needs an editor.',
      // WebSocket on the same route, on unless MCP_WEBSOCKET=off; MCP_WS_MAX_CONNECTIONS caps sockets.
      transports: { websocket: process.env['MCP_WEBSOCKET'] !== 'off' },
      websocket: { maxConnections: Number(process.env['MCP_WS_MAX_CONNECTIONS'] ?? 10_000) },
      // Runs on every HTTP request to /mcp and at every WebSocket upgrade: sets the principal.
      // As a protected resource, the verified access token is the principal instead.
      guards: resourceServer === undefined ? [BearerAuthGuard] : [],
      ...resourceServer,
      metrics: { route: '/metrics' },
      // REDIS_URL: several instances share state on Redis (see shared-state.options.ts).
      ...sharedStateOptions(),
    }),
    NotesModule,
  ],
})
export class AppModule {}
