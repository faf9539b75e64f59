import { Module } from '@nestjs/common';
import { NotesFleetTools } from './notes-fleet.tools.js';
import { NotesPrompts } from './notes.prompts.js';
import { NotesResources } from './notes.resources.js';
import { NotesService } from './notes.service.js';
import { NotesTools } from './notes.tools.js';

/** The example domain: a service and the providers that expose it over MCP. */
@Module({
  providers: [NotesService, NotesTools, NotesFleetTools, NotesResources, NotesPrompts],
  exports: [NotesService],
})
export class NotesModule {}
