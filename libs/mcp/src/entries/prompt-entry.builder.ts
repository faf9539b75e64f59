import type { Prompt, PromptArgument } from '@modelcontextprotocol/server';
import type { McpPromptOptions } from '../decorators/decorator-options.js';
import type { ArgumentChecker, ArgumentCompleter, PromptEntry } from '../registry/registry-entries.js';
import { compileSchema } from '../schema/compiled-schema.js';
import { compilePromptArgumentList, promptArgumentsOf } from '../schema/prompt-arguments.js';
import type { McpHandlerFunction } from './mcp-handler-function.js';
import { toGetPromptResult } from './prompt-result.js';
import { argumentChecker } from './argument-checker.js';

export type McpPromptDefinition = McpPromptOptions & { name: string };

/**
 * Builds a prompt entry. Its wire arguments come from the schema's properties (or the
 * explicit list); the protocol layer reports a failed check as -32602.
 */
export function buildPromptEntry(
  options: McpPromptDefinition,
  handler: McpHandlerFunction,
  completers: ReadonlyMap<string, ArgumentCompleter> = new Map(),
): PromptEntry {
  const { name } = options;
  const { list, checkArguments } = promptArguments(options.arguments);
  const definition = Object.freeze({
    name,
    ...(options.title !== undefined && { title: options.title }),
    ...(options.description !== undefined && { description: options.description }),
    ...(list.length > 0 && { arguments: list }),
    ...(options.icons !== undefined && { icons: options.icons }),
    ...(options._meta !== undefined && { _meta: options._meta }),
  }) as Prompt;
  return {
    name,
    definition,
    ...(options.scopes !== undefined && { scopes: Object.freeze([...options.scopes]) }),
    checkArguments,
    get: async (args, context) => toGetPromptResult(await handler(args, context), name, options.description),
    completers: new Map([...Object.entries(options.completions ?? {}), ...completers]),
  };
}

function promptArguments(source: McpPromptOptions['arguments']): {
  list: PromptArgument[];
  checkArguments: ArgumentChecker;
} {
  if (source === undefined)
    return {
      list: [],
      checkArguments: (args) => ({ ok: true, value: (args ?? {}) as Record<string, unknown> }),
    };
  if (Array.isArray(source)) {
    const list = source.map((argument) => ({ ...argument }));
    return {
      list,
      checkArguments: argumentChecker({ jsonSchema: {}, check: compilePromptArgumentList(list) }, ''),
    };
  }
  const schema = compileSchema(source, 'input');
  return { list: promptArgumentsOf(schema.jsonSchema), checkArguments: argumentChecker(schema, '') };
}
