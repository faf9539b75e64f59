import { Injectable, NotFoundException } from '@nestjs/common';
import type { Note } from './note.js';

/**
 * The example app's domain service: an ordinary Nest provider that knows nothing of MCP.
 * The MCP handlers in this folder call it, as a REST controller would.
 */
@Injectable()
export class NotesService {
  private readonly notes = new Map<string, Note>();
  private nextId = 1;

  constructor() {
    this.create('Welcome', 'This server exposes its notes to AI agents over MCP.', ['intro']);
    this.create('Groceries', 'Milk, eggs, coffee beans.', ['home']);
  }

  create(title: string, body: string, tags: readonly string[] = []): Note {
    const note: Note = {
      id: String(this.nextId++),
      title,
      body,
      tags: [...tags],
      createdAt: new Date().toISOString(),
    };
    this.notes.set(note.id, note);
    return note;
  }

  list(): Note[] {
    return [...this.notes.values()];
  }

  get(id: string): Note {
    const note = this.notes.get(id);
    if (note === undefined) throw new NotFoundException(`Note ${id} not found`);
    return note;
  }

  /** Case-insensitive match on title, body and tags. */
  search(query: string, tag?: string): Note[] {
    const needle = query.toLowerCase();
    return this.list().filter(
      (note) =>
        (tag === undefined || note.tags.includes(tag)) &&
        (note.title.toLowerCase().includes(needle) ||
          note.body.toLowerCase().includes(needle) ||
          note.tags.some((t) => t.toLowerCase().includes(needle))),
    );
  }

  delete(id: string): Note {
    const note = this.get(id);
    this.notes.delete(id);
    return note;
  }

  ids(): string[] {
    return [...this.notes.keys()];
  }
}
