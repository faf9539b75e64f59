import { Injectable } from '@nestjs/common';
import { McpArgs, McpCompletion, McpPrompt } from 'nest-mcp';
import { z } from 'zod';
import { NotesService } from './notes.service.js';

const reviewArguments = z.object({
  noteId: z.string().describe('The note to review'),
  tone: z.string().optional().describe('For instance "friendly" or "strict"'),
});

/** A prompt that asks the model to review one note. */
@Injectable()
export class NotesPrompts {
  constructor(private readonly notes: NotesService) {}

  @McpPrompt({
    name: 'review_note',
    title: 'Review a note',
    description: 'Asks for a critical review of one note.',
    arguments: reviewArguments,
  })
  review(@McpArgs() args: z.infer<typeof reviewArguments>): string {
    const note = this.notes.get(args.noteId);
    return `Review this note in a ${args.tone ?? 'neutral'} tone and suggest improvements.\n\n# ${note.title}\n\n${note.body}`;
  }

  @McpCompletion({ prompt: 'review_note', argument: 'noteId' })
  completeNoteId(value: string): string[] {
    return this.notes.ids().filter((id) => id.startsWith(value));
  }
}
