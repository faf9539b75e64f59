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
    }),
    NotesModule,
  ],
})
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(BearerPrincipalMiddleware).forRoutes('*path');
  }
}
