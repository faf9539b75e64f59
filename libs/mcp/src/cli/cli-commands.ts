import type {
  CallToolResult,
  Client,
  CompleteRequestParams,
  RequestOptions,
} from '@modelcontextprotocol/client';
import { CliError, EXIT } from './cli-errors.js';
import { parseJsonObject } from './json-operand.js';
import {
  completionText,
  promptListText,
  promptText,
  readResultText,
  resourceListText,
  templateListText,
  toolListText,
  toolResultText,
} from './human-output.js';
import { taskCancel, taskFollow, taskGet, taskStart, taskUpdate } from './cli-task-commands.js';

/** What a command produced: the JSON for `--json`, the text otherwise, and the exit code. */
export interface CliOutput {
  readonly json: unknown;
  readonly text: string;
  readonly exitCode: number;
  /** What stderr says about a non-zero exit; default for exit 1: the tool reported an error. */
  readonly notice?: string;
}

/** One `nest-mcp` command: its operands (after the URL or `--stdio`), their parsing, its request. */
export interface CliCommandSpec<P> {
  /** For the usage lines, e.g. `TOOL [JSON_ARGS]`. */
  readonly operands: string;
  readonly summary: string;
  /** The command's `--help`, after its usage line. */
  readonly help: string;
  readonly maxOperands: number;
  /** @throws CliError (exit code 2) for missing or malformed operands. */
  parse(operands: readonly string[]): P;
  run(client: Client, params: P, request: RequestOptions): Promise<CliOutput>;
}

const ok = (json: unknown, text: string): CliOutput => ({ json, text, exitCode: EXIT.ok });

const tools = listCommand(
  "list the server's tools",
  'Prints each tool with its arguments (? marks optional ones) and description; --json prints the tools array.',
  async (client, request) => (await client.listTools(undefined, request)).tools,
  toolListText,
);

/** A command that lists something (all pages) and takes no operands. */
function listCommand<T>(
  summary: string,
  help: string,
  list: (client: Client, request: RequestOptions) => Promise<readonly T[]>,
  text: (items: readonly T[]) => string,
): CliCommandSpec<void> {
  return {
    operands: '',
    summary,
    help,
    maxOperands: 0,
    parse: () => undefined,
    run: async (client, _params, request) => {
      const items = await list(client, request);
      return ok(items, text(items));
    },
  };
}

const call: CliCommandSpec<{ tool: string; args: Record<string, unknown> }> = {
  operands: 'TOOL [JSON_ARGS]',
  summary: 'call a tool with a JSON object of arguments',
  help:
    "Prints the tool's text content (other blocks as one-line summaries, structured content as JSON\n" +
    'when there is no text); --json prints the whole result. Exit code 1 when the tool reports an error.',
  maxOperands: 2,
  parse: ([tool, json]) => {
    if (tool === undefined) throw new CliError('call needs a TOOL name', EXIT.usage);
    return { tool, args: parseJsonObject(json, 'JSON_ARGS', '{"query":"milk"}') };
  },
  run: async (client, { tool, args }, request) => {
    // Listing first turns a typo into a message naming the tools there are.
    const { tools: list } = await client.listTools(undefined, request);
    if (!list.some((candidate) => candidate.name === tool)) {
      const names = list.map((candidate) => candidate.name).join(', ') || 'none';
      throw new CliError(`unknown tool "${tool}" (the server has: ${names})`, EXIT.refused);
    }
    const result = (await client.callTool({ name: tool, arguments: args }, request)) as CallToolResult;
    return {
      json: result,
      text: toolResultText(result),
      exitCode: result.isError === true ? EXIT.toolError : EXIT.ok,
    };
  },
};

const resources = listCommand(
  "list the server's resources (fixed URIs)",
  'Prints each resource URI with its name, MIME type and description; --json prints the array.',
  async (client, request) => (await client.listResources(undefined, request)).resources,
  resourceListText,
);

const templates = listCommand(
  "list the server's resource templates",
  'Prints each URI template with its name and description; --json prints the array.',
  async (client, request) => (await client.listResourceTemplates(undefined, request)).resourceTemplates,
  templateListText,
);

const read: CliCommandSpec<{ uri: string }> = {
  operands: 'URI',
  summary: 'read a resource (a fixed URI or one matching a template)',
  help: 'Prints text contents as they are and binary ones as a summary; --json prints the whole result.',
  maxOperands: 1,
  parse: ([uri]) => {
    if (uri === undefined) throw new CliError('read needs a resource URI', EXIT.usage);
    return { uri };
  },
  run: async (client, { uri }, request) => {
    const result = await client.readResource({ uri }, request);
    return ok(result, readResultText(result));
  },
};

const prompts = listCommand(
  "list the server's prompts",
  'Prints each prompt with its arguments (? marks optional ones) and description; --json prints the array.',
  async (client, request) => (await client.listPrompts(undefined, request)).prompts,
  promptListText,
);

const getPrompt: CliCommandSpec<{ name: string; args: Record<string, string> }> = {
  operands: 'PROMPT [JSON_ARGS]',
  summary: 'get a prompt with a JSON object of string arguments',
  help: 'Prints each message as "[role] text"; --json prints the whole result.',
  maxOperands: 2,
  parse: ([name, json]) => {
    if (name === undefined) throw new CliError('get-prompt needs a PROMPT name', EXIT.usage);
    const args = parseJsonObject(json, 'JSON_ARGS', '{"noteId":"1"}');
    for (const [key, value] of Object.entries(args)) {
      if (typeof value !== 'string')
        throw new CliError(`prompt arguments are strings: "${key}" is ${JSON.stringify(value)}`, EXIT.usage);
    }
    return { name, args: args as Record<string, string> };
  },
  run: async (client, { name, args }, request) => {
    const result = await client.getPrompt({ name, arguments: args }, request);
    return ok(result, promptText(result));
  },
};

const complete: CliCommandSpec<Pick<CompleteRequestParams, 'ref' | 'argument' | 'context'>> = {
  operands: 'REF ARGUMENT [VALUE] [JSON_CONTEXT]',
  summary: 'complete an argument of a prompt or resource template',
  help:
    'REF is prompt:NAME or resource:URI_TEMPLATE (e.g. "resource:notes://notes/{id}"); VALUE is what\n' +
    'is typed so far (default empty); JSON_CONTEXT holds arguments already chosen, e.g. \'{"tone":"strict"}\'.\n' +
    'Prints one value per line; --json prints the completion object.',
  maxOperands: 4,
  parse: ([ref, argument, value, context]) => {
    if (ref === undefined || argument === undefined)
      throw new CliError(
        'complete needs a REF (prompt:NAME or resource:URI_TEMPLATE) and an ARGUMENT',
        EXIT.usage,
      );
    const contextArgs =
      context === undefined ? undefined : parseJsonObject(context, 'JSON_CONTEXT', '{"tone":"strict"}');
    return {
      ref: parseReference(ref),
      argument: { name: argument, value: value ?? '' },
      ...(contextArgs !== undefined && { context: { arguments: contextArgs as Record<string, string> } }),
    };
  },
  run: async (client, params, request) => {
    const { completion } = await client.complete(params, request);
    return ok(completion, completionText(completion));
  },
};

/** Every command, by name, in the order `--help` lists them. */
export const COMMANDS = {
  tools,
  call,
  resources,
  templates,
  read,
  prompts,
  'get-prompt': getPrompt,
  complete,
  'task-start': taskStart,
  'task-follow': taskFollow,
  'task-get': taskGet,
  'task-update': taskUpdate,
  'task-cancel': taskCancel,
} as const;

export type CliCommandName = keyof typeof COMMANDS;

export function isCommandName(name: string): name is CliCommandName {
  return Object.hasOwn(COMMANDS, name);
}

function parseReference(raw: string): CompleteRequestParams['ref'] {
  if (raw.startsWith('prompt:') && raw.length > 7) return { type: 'ref/prompt', name: raw.slice(7) };
  if (raw.startsWith('resource:') && raw.length > 9) return { type: 'ref/resource', uri: raw.slice(9) };
  throw new CliError(`REF must be prompt:NAME or resource:URI_TEMPLATE (got "${raw}")`, EXIT.usage);
}
