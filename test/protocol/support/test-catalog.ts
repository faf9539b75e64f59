import { ForbiddenException } from '@nestjs/common';
import type { CallToolResult, Tool } from '@modelcontextprotocol/server';
import {
  type ArgumentCheck,
  type McpCatalog,
  McpToolError,
  type PromptEntry,
  type ResourceEntry,
  type ResourceTemplateEntry,
  type ToolEntry,
} from 'nest-mcp';

/**
 * A hand-made catalog: the seam between discovery and the protocol layer, so the engine
 * can be tested without decorators. Entries are plain objects as the registry builds them.
 */
export class TestCatalog implements McpCatalog {
  tools: readonly ToolEntry[];
  resources: readonly ResourceEntry[];
  templates: readonly ResourceTemplateEntry[];
  prompts: readonly PromptEntry[];
  /** Settles when the `slow` tool's signal is aborted, with the abort reason. */
  slowAborted: Promise<unknown>;
  private resolveSlowAborted!: (reason: unknown) => void;

  constructor(toolCount = 0) {
    this.slowAborted = new Promise((resolve) => (this.resolveSlowAborted = resolve));
    this.tools = [...buildTools(this), ...numberedTools(toolCount)];
    this.resources = [fixedResource];
    this.templates = [itemTemplate];
    this.prompts = [greetPrompt];
  }

  /** Replaces the tool list as the registry does on change (a new array). */
  addTool(entry: ToolEntry): void {
    this.tools = [...this.tools, entry];
  }

  onSlowAborted(reason: unknown): void {
    this.resolveSlowAborted(reason);
  }

  getTool(name: string) {
    return this.tools.find((entry) => entry.name === name);
  }
  listTools() {
    return this.tools;
  }
  getResource(uri: string) {
    return this.resources.find((resource) => resource.uri === uri);
  }
  listResources() {
    return this.resources;
  }
  matchTemplate(uri: string) {
    for (const entry of this.templates) {
      const variables = entry.match(uri);
      if (variables !== undefined) return { entry, variables };
    }
    return undefined;
  }
  getTemplate(uriTemplate: string) {
    return this.templates.find((template) => template.uriTemplate === uriTemplate);
  }
  listTemplates() {
    return this.templates;
  }
  getPrompt(name: string) {
    return this.prompts.find((prompt) => prompt.name === name);
  }
  listPrompts() {
    return this.prompts;
  }
}

const noArguments = (): ArgumentCheck => ({ ok: true, value: {} });
const anyArguments = (args: unknown): ArgumentCheck => ({
  ok: true,
  value: (args ?? {}) as Record<string, unknown>,
});

export function tool(
  name: string,
  invoke: ToolEntry['invoke'],
  checkArguments: ToolEntry['checkArguments'] = noArguments,
): ToolEntry {
  const definition: Tool = { name, description: `The ${name} tool`, inputSchema: { type: 'object' } };
  return { name, definition, checkArguments, invoke };
}

function text(value: string): CallToolResult {
  return { content: [{ type: 'text', text: value }] };
}

function buildTools(catalog: TestCatalog): ToolEntry[] {
  return [
    tool(
      'echo',
      async (args) => text(String(args['text'])),
      (args) => {
        const value = (args as Record<string, unknown>)['text'];
        return typeof value === 'string'
          ? { ok: true, value: { text: value } }
          : { ok: false, message: 'Invalid arguments: text must be a string' };
      },
    ),
    tool('progress', async (_args, ctx) => {
      await ctx.reportProgress(1, 2, 'halfway');
      await ctx.reportProgress(2, 2, 'done');
      return text('progressed');
    }),
    tool('log', async (_args, ctx) => {
      await ctx.log('debug', 'debug message');
      await ctx.log('info', 'info message');
      await ctx.log('error', 'error message', 'test-logger');
      return text('logged');
    }),
    tool('slow', (_args, ctx) => {
      return new Promise((_resolve, reject) => {
        ctx.signal.addEventListener('abort', () => {
          catalog.onSlowAborted(ctx.signal.reason);
          reject(new Error('aborted'));
        });
      });
    }),
    tool('ask-name', async (_args, ctx) => {
      const answer = await ctx.elicit({
        message: 'What is your name?',
        requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
      });
      return text(
        answer.action === 'accept'
          ? `Hello ${String(answer.content?.['name'])}`
          : `no name (${answer.action})`,
      );
    }),
    tool('two-questions', async (_args, ctx) => {
      const name = await ctx.elicit(
        { message: 'Name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } } } },
        { key: 'name' },
      );
      const color = await ctx.elicit(
        { message: 'Color?', requestedSchema: { type: 'object', properties: { color: { type: 'string' } } } },
        { key: 'color' },
      );
      return text(`${String(name.content?.['name'])} likes ${String(color.content?.['color'])}`);
    }),
    tool('roots', async (_args, ctx) => {
      const { roots } = await ctx.listRoots();
      return text(roots.map((root) => root.uri).join(','));
    }),
    tool(
      'sleep',
      (args, ctx) => {
        // Answers after `ms` (default 300), or fails when its signal aborts first.
        const ms = typeof args['ms'] === 'number' ? args['ms'] : 300;
        return new Promise((resolve, reject) => {
          const timer = setTimeout(() => resolve(text('slept')), ms);
          ctx.signal.addEventListener('abort', () => {
            clearTimeout(timer);
            reject(new Error('aborted'));
          });
        });
      },
      anyArguments,
    ),
    tool(
      'flood',
      async (args, ctx) => {
        // `count` log messages of `size` characters before the answer: a stream a reader can fall behind on.
        const count = typeof args['count'] === 'number' ? args['count'] : 100;
        const chunk = 'x'.repeat(typeof args['size'] === 'number' ? args['size'] : 1024);
        for (let index = 0; index < count && !ctx.signal.aborted; index++) {
          await ctx.log('info', `${index} ${chunk}`);
          // Yield now and then, so a transport that cuts a slow reader gets to run.
          if (index % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
        }
        return text(ctx.signal.aborted ? 'aborted' : 'flooded');
      },
      anyArguments,
    ),
    tool('fail', async () => {
      throw new Error('database password is hunter2');
    }),
    tool('tool-error', async () => {
      throw new McpToolError('City not found: Atlantis');
    }),
    tool('forbidden', async () => {
      throw new ForbiddenException('Forbidden resource');
    }),
  ];
}

function numberedTools(count: number): ToolEntry[] {
  return Array.from({ length: count }, (_, index) =>
    tool(`numbered-${index}`, async () => text(String(index))),
  );
}

const fixedResource: ResourceEntry = {
  uri: 'test://fixed',
  definition: { uri: 'test://fixed', name: 'fixed', mimeType: 'text/plain' },
  read: async (uri) => ({ contents: [{ uri, mimeType: 'text/plain', text: 'fixed content' }] }),
};

const itemTemplate: ResourceTemplateEntry = {
  uriTemplate: 'test://items/{id}',
  definition: { uriTemplate: 'test://items/{id}', name: 'item' },
  match: (uri) => {
    const found = /^test:\/\/items\/([^/]+)$/.exec(uri);
    return found === null ? undefined : { id: found[1]! };
  },
  read: async (uri, variables) => ({ contents: [{ uri, text: `item ${String(variables['id'])}` }] }),
  completers: new Map([
    ['id', (value: string) => ['apple', 'apricot', 'banana'].filter((id) => id.startsWith(value))],
  ]),
};

const greetPrompt: PromptEntry = {
  name: 'greet',
  definition: { name: 'greet', arguments: [{ name: 'name', required: true }] },
  checkArguments: (args) => {
    const name = (args as Record<string, unknown>)['name'];
    return typeof name === 'string'
      ? { ok: true, value: { name } }
      : { ok: false, message: 'name is required' };
  },
  get: async (args) => ({
    messages: [{ role: 'user', content: { type: 'text', text: `Greet ${String(args['name'])}` } }],
  }),
  completers: new Map([['name', () => Array.from({ length: 150 }, (_, index) => `name-${index}`)]]),
};
