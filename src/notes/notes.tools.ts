import { Injectable, UseGuards } from '@nestjs/common';
import { McpArgs, type McpContext, McpCtx, McpScopes, McpTool, McpToolError } from 'nest-mcp';
import { NOTES_WRITE } from '../auth/resource-server.options.js';
import { z } from 'zod';
import { EditorGuard } from '../auth/editor.guard.js';
import { CreateNoteDto } from './dto/create-note.dto.js';
import { NoteIdDto } from './dto/note-id.dto.js';
import type { Note } from './note.js';
import { NotesService } from './notes.service.js';

/** Schemas may be zod (any Standard Schema) as well as class-validator DTOs. */
const searchInput = z.object({
  query: z.string().min(1).describe('Words to look for in titles, bodies and tags'),
  tag: z.string().optional().describe('Only notes with this tag'),
});

const noteShape = z.object({
  id: z.string(),
  title: z.string(),
  body: z.string(),
  tags: z.array(z.string()),
  createdAt: z.string(),
});

const searchOutput = z.object({ notes: z.array(noteShape) });

/** An elicitation form with one required text field. */
function oneText(field: string) {
  return { type: 'object' as const, properties: { [field]: { type: 'string' as const } }, required: [field] };
}

/** The notes service's tools. An ordinary provider: the handlers never see a transport. */
@Injectable()
export class NotesTools {
  constructor(private readonly notes: NotesService) {}

  @McpTool({
    name: 'create_note',
    title: 'Create a note',
    description: 'Stores a new note and returns it.',
    input: CreateNoteDto,
    output: noteShape,
  })
  @McpScopes(NOTES_WRITE)
  createNote(@McpArgs() input: CreateNoteDto): Note {
    return this.notes.create(input.title, input.body, input.tags);
  }

  @McpTool({
    name: 'search_notes',
    title: 'Search notes',
    description: 'Finds notes whose title, body or tags contain the query.',
    input: searchInput,
    output: searchOutput,
    annotations: { readOnlyHint: true, openWorldHint: false },
  })
  searchNotes(@McpArgs() input: z.infer<typeof searchInput>): z.infer<typeof searchOutput> {
    return { notes: this.notes.search(input.query, input.tag) };
  }

  @McpTool({
    name: 'delete_note',
    title: 'Delete a note',
    description: 'Deletes a note. Editors only.',
    input: NoteIdDto,
    annotations: { destructiveHint: true, idempotentHint: true },
  })
  @McpScopes(NOTES_WRITE)
  @UseGuards(EditorGuard)
  deleteNote(@McpArgs() input: NoteIdDto): string {
    const note = this.notes.get(input.id);
    this.notes.delete(note.id);
    return `Deleted note ${note.id} (${note.title})`;
  }

  /**
   * Asks the user for the title, then the body (elicitation). In the 2026 era each question is
   * an `input_required` round the client answers with a retried request, which a load balancer
   * may send to another instance: the signed `requestState` carries the first answer along.
   */
  @McpTool({
    name: 'draft_note',
    title: 'Draft a note with the user',
    description: 'Asks the user for a title and a body, then stores the note.',
    output: noteShape,
  })
  @McpScopes(NOTES_WRITE)
  async draftNote(@McpCtx() ctx: McpContext): Promise<Note> {
    const title = await ctx.elicit(
      { message: 'Title of the note?', requestedSchema: oneText('title') },
      { key: 'title' },
    );
    const body = await ctx.elicit(
      { message: 'What should it say?', requestedSchema: oneText('body') },
      { key: 'body' },
    );
    if (title.action !== 'accept' || body.action !== 'accept') throw new McpToolError('Draft abandoned');
    return this.notes.create(String(title.content?.['title']), String(body.content?.['body']), []);
  }

  /** Reports progress per note and stops early when the client cancels. */
  @McpTool({
    name: 'summarize_notes',
    title: 'Summarize all notes',
    description: 'Reads every note and returns a one-line summary of each, reporting progress.',
    annotations: { readOnlyHint: true },
  })
  async summarizeNotes(@McpCtx() ctx: McpContext): Promise<string> {
    const all = this.notes.list();
    const lines: string[] = [];
    for (const [index, note] of all.entries()) {
      if (ctx.signal.aborted) throw new McpToolError('Summary cancelled');
      lines.push(`${note.id}. ${note.title}: ${note.body.slice(0, 60)}`);
      await ctx.reportProgress(index + 1, all.length, `Summarized ${note.title}`);
      await ctx.log('debug', { summarized: note.id }, 'notes');
    }
    return lines.join('\n');
  }

  /**
   * A long job as a task (tasks extension): clients that declare the extension get a task
   * handle at once and follow it with tasks/get; the handler asks for a title through the task
   * (tasks/update answers it), reports progress as the task's status, and stops on tasks/cancel.
   */
  @McpTool({
    name: 'export_notes',
    title: 'Export all notes',
    description: 'Exports every note as Markdown under a title you give; slow, so it runs as a task.',
    input: z.object({
      pauseMs: z.number().int().min(0).max(60_000).default(200).describe('Pause per note, in ms'),
    }),
    task: { support: 'optional', pollIntervalMs: 500 },
  })
  async exportNotes(@McpArgs() args: { pauseMs: number }, @McpCtx() ctx: McpContext): Promise<string> {
    const title = await ctx.elicit(
      { message: 'Title of the export?', requestedSchema: oneText('title') },
      { key: 'title' },
    );
    if (title.action !== 'accept') throw new McpToolError('Export abandoned');
    const all = this.notes.list();
    const parts = [`# ${String(title.content?.['title'])}`];
    for (const [index, note] of all.entries()) {
      await new Promise((resolve) => setTimeout(resolve, args.pauseMs));
      if (ctx.signal.aborted) throw new McpToolError('Export cancelled');
      parts.push(`## ${note.title}\n\n${note.body}`);
      await ctx.reportProgress(index + 1, all.length, `Exported ${index + 1} of ${all.length}`);
    }
    return parts.join('\n\n');
  }
}
