import {
  type ArgumentMetadata,
  type ArgumentsHost,
  type CallHandler,
  type CanActivate,
  Catch,
  Controller,
  type ExceptionFilter,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
  Module,
  type NestInterceptor,
  type PipeTransform,
  Scope,
  UseFilters,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsArray, IsInt, IsOptional, IsString, Max, Min, MinLength, ValidateNested } from 'class-validator';
import {
  McpArgs,
  type McpContext,
  McpCompletion,
  McpExecutionContext,
  McpPrompt,
  McpResource,
  type McpResourceArgs,
  McpTool,
  McpToolError,
} from 'nest-mcp';
import { map, type Observable } from 'rxjs';
import { z } from 'zod';

/** What the pipeline fixtures saw, for assertions. */
export const observed = {
  guardTypes: [] as string[],
  principals: [] as unknown[],
  reset(): void {
    this.guardTypes.length = 0;
    this.principals.length = 0;
  },
};

export class AuthorDto {
  @IsString()
  name!: string;
}

export class CreateNoteDto {
  @IsString()
  @MinLength(1)
  title!: string;

  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  tags?: string[];

  @IsOptional()
  @ValidateNested()
  @Type(() => AuthorDto)
  author?: AuthorDto;
}

/** Only for the global ValidationPipe: the tool declares no input schema of its own. */
export class CountDto {
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10)
  count!: number;
}

const noteOutput = z.object({ id: z.number(), title: z.string(), tags: z.array(z.string()) });

class Note {
  constructor(
    readonly id: number,
    readonly title: string,
    readonly tags: string[],
  ) {}
}

@Injectable()
export class NotesStore {
  readonly notes = new Map<number, Note>([[1, new Note(1, 'Shopping', ['home'])]]);

  add(title: string, tags: string[]): Note {
    const note = new Note(this.notes.size + 1, title, tags);
    this.notes.set(note.id, note);
    return note;
  }
}

/** Refuses callers without the `editor` role; records what it saw. */
@Injectable()
export class EditorGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    observed.guardTypes.push(context.getType());
    const principal = McpExecutionContext.create(context).getContext().principal as
      { roles?: string[] } | undefined;
    observed.principals.push(principal);
    if (principal?.roles?.includes('editor') !== true) throw new ForbiddenException('Editors only');
    return true;
  }
}

/** Lets through only calls whose arguments carry `please: true`; returns false otherwise. */
@Injectable()
export class PoliteGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    observed.guardTypes.push(context.getType());
    return McpExecutionContext.create(context).getArgs<{ please?: boolean }>().please === true;
  }
}

@Injectable()
export class UpperCasePipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    if (typeof value !== 'string') throw new McpToolError(`${metadata.data ?? 'value'} must be text`);
    return value.toUpperCase();
  }
}

@Injectable()
export class BracketInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const tool = context.getHandler().name;
    return next.handle().pipe(map((value) => `[${tool}:${context.getType()}] ${String(value)}`));
  }
}

export class NoteLockedError extends Error {}

@Catch(NoteLockedError)
export class NoteLockedFilter implements ExceptionFilter {
  catch(error: NoteLockedError, host: ArgumentsHost): never {
    const args = host.getArgByIndex<{ id?: number }>(0);
    throw new McpToolError(`Note ${args.id} is locked (${host.getType()}): ${error.message}`);
  }
}

@Injectable()
export class NotesTools {
  constructor(private readonly store: NotesStore) {}

  @McpTool({
    name: 'create_note',
    title: 'Create a note',
    description: 'Stores a note',
    input: CreateNoteDto,
    output: noteOutput,
    annotations: { idempotentHint: false },
    icons: [{ src: 'https://example.com/note.png', mimeType: 'image/png' }],
    _meta: { 'example.com/category': 'notes' },
  })
  create(@McpArgs() input: CreateNoteDto): Note {
    return this.store.add(input.title, input.tags ?? []);
  }

  @McpTool({
    name: 'search_notes',
    input: z.object({
      query: z.string().min(2).describe('Words to find'),
      limit: z.number().int().default(5),
    }),
  })
  search(args: { query: string; limit: number }, ctx: McpContext): string {
    const hits = [...this.store.notes.values()].filter((note) => note.title.includes(args.query));
    return `${hits.map((note) => note.title).join(',')} (limit ${args.limit}, era ${ctx.era})`;
  }

  @McpTool({ name: 'delete_note', input: z.object({ id: z.number() }) })
  @UseGuards(EditorGuard)
  delete(@McpArgs('id') id: number): string {
    return `deleted ${id}`;
  }

  @McpTool({ name: 'shout', input: z.object({ text: z.unknown() }) })
  shout(@McpArgs('text', UpperCasePipe) text: string): string {
    return text;
  }

  @McpTool({ name: 'count_up' })
  countUp(@McpArgs() input: CountDto): string {
    return `${input instanceof CountDto} ${typeof input.count} ${input.count + 1}`;
  }

  @McpTool({ name: 'bracketed' })
  @UseInterceptors(BracketInterceptor)
  bracketed(): string {
    return 'plain';
  }

  @McpTool({ name: 'edit_locked', input: z.object({ id: z.number() }) })
  @UseFilters(NoteLockedFilter)
  editLocked(): string {
    throw new NoteLockedError('someone else is editing');
  }

  @McpTool({ name: 'crash' })
  crash(): string {
    throw new Error('secret internal detail');
  }

  @McpTool({ name: 'raw_result' })
  raw(): unknown {
    return { content: [{ type: 'text', text: 'raw' }], isError: false };
  }
}

/** Every tool here is guarded at class level. */
@Injectable()
@UseGuards(PoliteGuard)
export class PoliteTools {
  @McpTool({ name: 'polite_hello', input: z.object({ please: z.boolean().optional() }) })
  hello(): string {
    return 'hello, kindly';
  }
}

@Injectable()
export class NotesResources {
  constructor(private readonly store: NotesStore) {}

  @McpResource({ uri: 'notes://index', name: 'notes-index', title: 'Index', mimeType: 'application/json' })
  index(): unknown {
    return [...this.store.notes.values()].map(({ id, title }) => ({ id, title }));
  }

  @McpResource({
    uriTemplate: 'notes://notes/{id}',
    name: 'note',
    description: 'One note',
    mimeType: 'text/plain',
  })
  note(@McpArgs() { variables }: McpResourceArgs): string | undefined {
    return this.store.notes.get(Number(variables['id']))?.title;
  }

  @McpResource({ uri: 'notes://logo', name: 'logo', mimeType: 'image/png' })
  logo(): Uint8Array {
    return new Uint8Array([1, 2, 3, 250]);
  }

  @McpCompletion({ resourceTemplate: 'notes://notes/{id}', argument: 'id' })
  noteIds(value: string): string[] {
    return [...this.store.notes.keys()].map(String).filter((id) => id.startsWith(value));
  }
}

@Injectable()
export class NotesPrompts {
  @McpPrompt({
    name: 'review_note',
    description: 'Review a note',
    arguments: z.object({ title: z.string().describe('Note title'), tone: z.string().optional() }),
  })
  review(@McpArgs() args: { title: string; tone?: string }): string {
    return `Review "${args.title}" in a ${args.tone ?? 'neutral'} tone`;
  }

  @McpPrompt({ name: 'two_step', arguments: [{ name: 'topic', required: true }] })
  twoStep(args: { topic: string }): unknown[] {
    return [
      'First, outline ' + args.topic,
      { role: 'assistant', content: { type: 'text', text: 'Outline ready' } },
    ];
  }

  @McpCompletion({ prompt: 'review_note', argument: 'tone' })
  tones(value: string, context: { arguments?: Record<string, string> }): string[] {
    const tones =
      context.arguments?.['title'] === 'Shopping' ? ['frugal', 'friendly'] : ['friendly', 'formal', 'strict'];
    return tones.filter((tone) => tone.startsWith(value));
  }
}

@Module({
  providers: [NotesStore, NotesTools, PoliteTools, NotesResources, NotesPrompts, EditorGuard, PoliteGuard],
  exports: [NotesStore],
})
export class NotesModule {}

/** A second feature module: a controller also carries a tool. */
@Controller('stats')
export class StatsController {
  @McpTool({ name: 'stats', description: 'Counts from another module' })
  stats(): { modules: number } {
    return { modules: 2 };
  }
}

@Module({ controllers: [StatsController] })
export class StatsModule {}

/** Not servable: its tool must be warned about, not silently dropped. */
@Injectable({ scope: Scope.REQUEST })
export class RequestScopedTools {
  @McpTool({ name: 'per_request' })
  perRequest(): string {
    return 'never served';
  }
}

@Module({ providers: [RequestScopedTools] })
export class RequestScopedModule {}

@Injectable()
export class DuplicateTools {
  @McpTool({ name: 'create_note' })
  again(): string {
    return 'duplicate';
  }
}

@Module({ providers: [DuplicateTools] })
export class DuplicateModule {}
