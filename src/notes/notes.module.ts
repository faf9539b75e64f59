import { Module } from '@nestjs/common';
import { NotesPrompts } from './notes.prompts.js';
import { NotesResources } from './notes.resources.js';
import { NotesService } from './notes.service.js';
import { NotesTools } from './notes.tools.js';

/** The example domain: a service and the providers that expose it over MCP. */
@Module({
  providers: [NotesService, NotesTools, NotesResources, NotesPrompts],
  exports: [NotesService],
})
export class NotesModule {}
