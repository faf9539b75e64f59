import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { McpModule } from 'nest-mcp';
import { BearerPrincipalMiddleware } from './auth/bearer-principal.middleware.js';
import { NotesModule } from './notes/notes.module.js';

/** The example app: a notes service exposed to AI agents at `/mcp`. */
@Module({
  imports: [
    McpModule.forRoot({
      serverInfo: { name: 'notes-example', version: '0.1.0', title: 'Notes (nest-mcp example)' },
      instructions: 'A small notes service. Search before creating duplicates; deleting needs an editor.',
      // WebSocket on the same route, on unless MCP_WEBSOCKET=off; MCP_WS_MAX_CONNECTIONS caps sockets.
      transports: { websocket: process.env['MCP_WEBSOCKET'] !== 'off' },
      websocket: { maxConnections: Number(process.env['MCP_WS_MAX_CONNECTIONS'] ?? 10_000) },
    }),
    NotesModule,
  ],
})
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(BearerPrincipalMiddleware).forRoutes('*path');
  }
}
