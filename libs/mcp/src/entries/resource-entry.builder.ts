import { type Resource, type ResourceTemplateType, UriTemplate } from '@modelcontextprotocol/server';
import type { McpResourceArgs, McpResourceOptions } from '../decorators/decorator-options.js';
import type {
  ArgumentCompleter,
  ResourceEntry,
  ResourceTemplateEntry,
} from '../registry/registry-entries.js';
import type { McpHandlerFunction } from './mcp-handler-function.js';
import { toReadResourceResult } from './resource-result.js';
import { UriTemplateMatcher } from './uri-template.matcher.js';

export type McpResourceDefinition = Omit<McpResourceOptions, 'uriTemplate'> & { uri: string; name: string };
export type McpResourceTemplateDefinition = Omit<McpResourceOptions, 'uri'> & {
  uriTemplate: string;
  name: string;
};

const NO_VARIABLES: McpResourceArgs['variables'] = Object.freeze({});

/** Builds a fixed resource entry; the handler receives `{ uri, variables: {} }`. */
export function buildResourceEntry(
  options: McpResourceDefinition,
  handler: McpHandlerFunction<McpResourceArgs>,
): ResourceEntry {
  if (UriTemplate.isTemplate(options.uri))
    throw new Error(`Resource ${options.name}: '${options.uri}' is a URI template; set it as uriTemplate`);
  const definition = Object.freeze({ uri: options.uri, ...commonFields(options) }) as Resource;
  return {
    uri: options.uri,
    definition,
    ...(options.scopes !== undefined && { scopes: Object.freeze([...options.scopes]) }),
    read: async (uri, context) =>
      toReadResourceResult(await handler({ uri, variables: NO_VARIABLES }, context), uri, options.mimeType),
  };
}

/**
 * Builds a resource template entry, matched as RFC 6570 directs (`UriTemplateMatcher`): the
 * handler gets `{ uri, variables }`, `uri` as the client sent it and each variable decoded
 * once. `completers` (from `@McpCompletion`) join those given in `options.completions`.
 */
export function buildResourceTemplateEntry(
  options: McpResourceTemplateDefinition,
  handler: McpHandlerFunction<McpResourceArgs>,
  completers: ReadonlyMap<string, ArgumentCompleter> = new Map(),
): ResourceTemplateEntry {
  const matcher = new UriTemplateMatcher(options.uriTemplate);
  const definition = Object.freeze({
    uriTemplate: options.uriTemplate,
    ...commonFields(options),
  }) as ResourceTemplateType;
  return {
    uriTemplate: options.uriTemplate,
    definition,
    ...(options.scopes !== undefined && { scopes: Object.freeze([...options.scopes]) }),
    match: (uri) => matcher.match(uri),
    read: async (uri, variables, context) =>
      toReadResourceResult(await handler({ uri, variables }, context), uri, options.mimeType),
    completers: new Map([...Object.entries(options.completions ?? {}), ...completers]),
  };
}

function commonFields(options: McpResourceOptions & { name: string }): Record<string, unknown> {
  return {
    name: options.name,
    ...(options.title !== undefined && { title: options.title }),
    ...(options.description !== undefined && { description: options.description }),
    ...(options.mimeType !== undefined && { mimeType: options.mimeType }),
    ...(options.size !== undefined && options.uri !== undefined && { size: options.size }),
    ...(options.annotations !== undefined && { annotations: options.annotations }),
    ...(options.icons !== undefined && { icons: options.icons }),
    ...(options._meta !== undefined && { _meta: options._meta }),
  };
}
