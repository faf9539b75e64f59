import { Injectable, type OnModuleInit, UseGuards } from '@nestjs/common';
import { McpArgs, McpFleetChanges, McpRegistry, McpScopes, McpTool } from 'nest-mcp';
import { NOTES_WRITE } from '../auth/resource-server.options.js';
import { z } from 'zod';
import { EditorGuard } from '../auth/editor.guard.js';
import { NotesService } from './notes.service.js';

const shortcutInput = z.object({
  tag: z
    .string()
    .regex(/^[a-z0-9_]{1,32}$/)
    .describe('The tag (lowercase letters, digits, _) the new tool lists notes of'),
});

/** The change every instance knows how to apply: its name and its arguments. */
const TAG_SHORTCUT = 'notes.tag-shortcut';
type TagShortcut = z.infer<typeof shortcutInput>;

/**
 * A runtime registry change applied on every instance: `add_tag_shortcut` adds the tool
 * `notes_tagged_<tag>`. The tool's code is here, on every instance; the change travels as an
 * event (`McpFleetChanges`), so `tools/list` and `tools/call` agree wherever a load balancer
 * sends a request, and instances that start later add the tool too.
 */
@Injectable()
export class NotesFleetTools implements OnModuleInit {
  constructor(
    private readonly notes: NotesService,
    private readonly registry: McpRegistry,
    private readonly fleet: McpFleetChanges,
  ) {}

  onModuleInit(): void {
    // Idempotent: a change may be replayed on an instance that already applied it.
    this.fleet.define<TagShortcut>(TAG_SHORTCUT, ({ tag }) => {
      const name = `notes_tagged_${tag}`;
      if (this.registry.getTool(name) !== undefined) return;
      this.registry.addTool(
        { name, description: `Lists the notes tagged "${tag}".`, annotations: { readOnlyHint: true } },
        () => ({ notes: this.notes.list().filter((note) => note.tags.includes(tag)) }),
      );
    });
  }

  @McpTool({
    name: 'add_tag_shortcut',
    title: 'Add a tag shortcut',
    description: 'Adds the tool notes_tagged_<tag> on every instance of the server. Editors only.',
    input: shortcutInput,
  })
  @McpScopes(NOTES_WRITE)
  @UseGuards(EditorGuard)
  async addTagShortcut(@McpArgs() input: TagShortcut): Promise<string> {
    await this.fleet.apply(TAG_SHORTCUT, { tag: input.tag }, `tool:notes_tagged_${input.tag}`);
    return `Added notes_tagged_${input.tag}`;
  }
}
