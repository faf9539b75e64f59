import type { Type } from '@nestjs/common';
import type { Icon, PromptArgument, StandardSchemaV1, ToolAnnotations } from '@modelcontextprotocol/server';
import type { ArgumentCompleter } from '../registry/registry-entries.js';
import type { McpToolTaskOptions, McpToolTaskSupport } from '../tasks/tasks.options.js';

/**
 * A schema for arguments or structured output: a class-validator DTO class (JSON Schema
 * derived from its decorators, validated with class-validator) or any Standard Schema with
 * a JSON Schema face (zod 4 and others).
 */
export type McpSchema = Type<object> | StandardSchemaV1;

/**
 * `@McpTool()` — the method becomes an MCP tool.
 *
 * Handler parameters: `@McpArgs()` receives the validated arguments (a DTO instance when
 * `input` is a class), `@McpCtx()` the `McpContext`. Without parameter decorators the
 * handler is called as `(args, ctx)`.
 *
 * Return value: a `CallToolResult` (has `content`) is sent as is; a string becomes one text
 * block; anything else is sent as JSON text and, when `output` is set, as `structuredContent`.
 * A thrown error becomes a tool error result (`isError: true`) with a safe message.
 */
export interface McpToolOptions {
  /** Wire name; default: the method name. */
  name?: string;
  title?: string;
  description?: string;
  input?: McpSchema;
  output?: McpSchema;
  /**
   * Input properties that 2026-07-28 HTTP clients mirror into `Mcp-Param-<Name>` headers, so
   * gateways can route on them (SEP-2243): property name to `<Name>`, e.g. `{ region: 'Region' }`.
   * Only string, integer and boolean properties. Same as an `x-mcp-header` annotation in the
   * input schema (which also works, e.g. zod `.meta({ 'x-mcp-header': 'Region' })`). The server
   * rejects calls whose header is missing or differs from the argument (400, -32020).
   */
  headers?: Record<string, string>;
  annotations?: ToolAnnotations;
  /**
   * OAuth scopes a caller's access token must hold to use this tool (see the README's
   * authorization section). Default: `auth.defaultScopes`; `[]` needs none. Same as
   * `@McpScopes(...)` on the method. Ignored when the module has no `auth`.
   */
  scopes?: string[];
  icons?: Icon[];
  _meta?: Record<string, unknown>;
  /**
   * Run as a task for clients of the tasks extension (`io.modelcontextprotocol/tasks`, 2026-07-28
   * era): the call is answered with a task handle at once and the handler runs on; the client
   * follows it with `tasks/get`, answers its questions with `tasks/update` and stops it with
   * `tasks/cancel` (`ctx.signal` aborts). `'optional'`: other clients get the plain result;
   * `'required'`: other clients get -32021. See `McpToolTaskOptions` and the README's "Tasks".
   */
  task?: McpToolTaskSupport | McpToolTaskOptions;
}

/**
 * `@McpResource()` — the method serves a resource at a fixed `uri` or every URI matching
 * `uriTemplate` (RFC 6570). Handler: `@McpArgs()` receives `{ uri, variables }`.
 * Return a `ReadResourceResult`, a string (text), a `Uint8Array` (blob), or another value
 * (JSON text, `application/json` unless `mimeType` says otherwise). `undefined`, `null` or a
 * thrown `NotFoundException` mean the URI names nothing: -32602 with `data: { uri }`.
 */
export interface McpResourceOptions {
  uri?: string;
  uriTemplate?: string;
  /** Wire name; default: the method name. */
  name?: string;
  title?: string;
  description?: string;
  mimeType?: string;
  size?: number;
  /**
   * OAuth scopes a caller's access token must hold to use this resource (or every URI of the template) (see the README's
   * authorization section). Default: `auth.defaultScopes`; `[]` needs none. Same as
   * `@McpScopes(...)` on the method. Ignored when the module has no `auth`.
   */
  scopes?: string[];
  annotations?: { audience?: ('user' | 'assistant')[]; priority?: number; lastModified?: string };
  icons?: Icon[];
  _meta?: Record<string, unknown>;
  /**
   * Completers per template variable, for resources registered at runtime; decorated
   * classes may use `@McpCompletion` instead.
   */
  completions?: Record<string, ArgumentCompleter>;
}

/** What `@McpArgs()` of a resource handler receives. */
export interface McpResourceArgs {
  /** The URI as the client sent it (still percent-encoded). */
  readonly uri: string;
  /**
   * The template variables matched in `uri`, percent-decoded once as RFC 6570 directs
   * (`notes://notes/a%20b` gives `{ id: 'a b' }`; in `{+var}`, encoded reserved characters
   * such as `%2F` stay encoded); empty for a fixed resource. The same values completion
   * requests name in `context.arguments`.
   */
  readonly variables: Record<string, string | string[]>;
}

/**
 * `@McpPrompt()` — the method renders a prompt. `arguments` is a schema (DTO or Standard
 * Schema, whose properties become the prompt's arguments) or an explicit list.
 * Return a `GetPromptResult`, a list of messages, or a string (one user message).
 */
export interface McpPromptOptions {
  /** Wire name; default: the method name. */
  name?: string;
  title?: string;
  description?: string;
  arguments?: McpSchema | PromptArgument[];
  /**
   * OAuth scopes a caller's access token must hold to use this prompt (see the README's
   * authorization section). Default: `auth.defaultScopes`; `[]` needs none. Same as
   * `@McpScopes(...)` on the method. Ignored when the module has no `auth`.
   */
  scopes?: string[];
  icons?: Icon[];
  _meta?: Record<string, unknown>;
  /** Completers per argument, for prompts registered at runtime; decorated classes may use `@McpCompletion`. */
  completions?: Record<string, ArgumentCompleter>;
}

/**
 * `@McpCompletion()` — the method proposes values for one prompt argument or one resource
 * template variable: `(value: string, context: { arguments?: Record<string, string> })`
 * returning `string[]` (or a promise of it).
 */
export type McpCompletionOptions =
  { prompt: string; argument: string } | { resourceTemplate: string; argument: string };
