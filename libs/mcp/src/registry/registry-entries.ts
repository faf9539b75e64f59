import type {
  CallToolResult,
  GetPromptResult,
  Prompt,
  ReadResourceResult,
  Resource,
  ResourceTemplateType,
  Tool,
} from '@modelcontextprotocol/server';
import type { McpContext } from '../protocol/mcp-context.js';
import type { ToolHeaderParam } from '../schema/header-params.js';
import type { ToolTaskSettings } from '../tasks/tasks.options.js';

/**
 * The seam between authoring (decorators, discovery, runtime registration) and the protocol
 * layer. Everything here is built once, at registration, so the request path only looks up
 * and calls: no schema conversion, no metadata reads, no handler wrapping per request.
 */

/** Outcome of argument validation; `message` is written for the model to act on. */
export type ArgumentCheck =
  | { readonly ok: true; readonly value: Record<string, unknown> }
  | { readonly ok: false; readonly message: string };

export type ArgumentChecker = (args: unknown) => ArgumentCheck | Promise<ArgumentCheck>;

/** Candidate values for one argument of a prompt or one variable of a resource template. */
export type ArgumentCompleter = (
  value: string,
  context: { readonly arguments?: Readonly<Record<string, string>> },
) => readonly string[] | Promise<readonly string[]>;

export interface ToolEntry {
  readonly name: string;
  /** The wire definition served by `tools/list`, frozen at registration. */
  readonly definition: Tool;
  /**
   * The input properties clients mirror into `Mcp-Param-*` headers (`x-mcp-header`), read
   * from `definition.inputSchema` at registration; absent when there are none.
   */
  readonly headerParams?: readonly ToolHeaderParam[];
  /** Scopes required to use it (`undefined`: the module default, `auth.defaultScopes`). */
  readonly scopes?: readonly string[];
  readonly checkArguments: ArgumentChecker;
  /** Set when the tool runs as a task for clients of the tasks extension (`@McpTool({ task })`). */
  readonly task?: ToolTaskSettings;
  /**
   * Runs the handler through the Nest pipeline (guards, interceptors, pipes, filters) and
   * normalizes what it returned into a `CallToolResult` (text, structured content, ...).
   * Throws what the handler or pipeline threw; the protocol layer maps it to the wire.
   */
  readonly invoke: (args: Record<string, unknown>, ctx: McpContext) => Promise<CallToolResult>;
}

export interface ResourceEntry {
  readonly uri: string;
  /** The wire definition served by `resources/list`. */
  readonly definition: Resource;
  /** Scopes required to use it (`undefined`: the module default, `auth.defaultScopes`). */
  readonly scopes?: readonly string[];
  readonly read: (uri: string, ctx: McpContext) => Promise<ReadResourceResult>;
}

export interface ResourceTemplateEntry {
  readonly uriTemplate: string;
  /** The wire definition served by `resources/templates/list`. */
  readonly definition: ResourceTemplateType;
  /** Scopes required to use it (`undefined`: the module default, `auth.defaultScopes`). */
  readonly scopes?: readonly string[];
  /**
   * Variables when `uri` matches the template, else `undefined`. Values are what the
   * handler gets: decoded (the builders decode once, per RFC 6570). A URI that matches but
   * whose values do not decode throws an `McpWireError` ('invalid-params', -32602).
   */
  readonly match: (uri: string) => Record<string, string | string[]> | undefined;
  readonly read: (
    uri: string,
    variables: Record<string, string | string[]>,
    ctx: McpContext,
  ) => Promise<ReadResourceResult>;
  /** Completers per template variable name. */
  readonly completers: ReadonlyMap<string, ArgumentCompleter>;
}

export interface PromptEntry {
  readonly name: string;
  /** The wire definition served by `prompts/list`. */
  readonly definition: Prompt;
  /** Scopes required to use it (`undefined`: the module default, `auth.defaultScopes`). */
  readonly scopes?: readonly string[];
  readonly checkArguments: ArgumentChecker;
  readonly get: (args: Record<string, unknown>, ctx: McpContext) => Promise<GetPromptResult>;
  /** Completers per prompt argument name. */
  readonly completers: ReadonlyMap<string, ArgumentCompleter>;
}

/**
 * The read side of the registry, which is all the protocol layer needs. Lists are returned
 * as cached arrays that are rebuilt only when the registry changes.
 */
export interface McpCatalog {
  getTool(name: string): ToolEntry | undefined;
  listTools(): readonly ToolEntry[];
  getResource(uri: string): ResourceEntry | undefined;
  listResources(): readonly ResourceEntry[];
  /** The first template whose pattern matches `uri`, with its variables. */
  matchTemplate(
    uri: string,
  ): { entry: ResourceTemplateEntry; variables: Record<string, string | string[]> } | undefined;
  getTemplate(uriTemplate: string): ResourceTemplateEntry | undefined;
  listTemplates(): readonly ResourceTemplateEntry[];
  getPrompt(name: string): PromptEntry | undefined;
  listPrompts(): readonly PromptEntry[];
}
