import { Injectable } from '@nestjs/common';
import { McpArgs, McpCompletion, McpResource } from 'nest-mcp';
import { NotesService } from './notes.service.js';

/** Notes as MCP resources: an index, and each note by a URI template with id completion. */
@Injectable()
export class NotesResources {
  constructor(private readonly notes: NotesService) {}

  @McpResource({
    uri: 'notes://index',
    name: 'notes-index',
    title: 'All notes',
    description: 'Ids and titles of every note, as JSON.',
    mimeType: 'application/json',
  })
  index(): string {
    return JSON.stringify(this.notes.list().map(({ id, title }) => ({ id, title })));
  }

  @McpResource({
    uriTemplate: 'notes://notes/{id}',
    name: 'note',
    title: 'One note',
    description: 'A note as Markdown.',
    mimeType: 'text/markdown',
  })
  note(@McpArgs() { variables }: { uri: string; variables: Record<string, string | string[]> }): string {
    const note = this.notes.get(String(variables['id']));
    return `# ${note.title}\n\n${note.body}\n\nTags: ${note.tags.join(', ') || '(none)'}\n`;
  }

  @McpCompletion({ resourceTemplate: 'notes://notes/{id}', argument: 'id' })
  completeNoteId(value: string): string[] {
    return this.notes.ids().filter((id) => id.startsWith(value));
  }
}
