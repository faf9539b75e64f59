import { Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type {
  McpCompletionOptions,
  McpPromptOptions,
  McpResourceOptions,
  McpToolOptions,
} from '../decorators/decorator-options.js';
import {
  MCP_COMPLETION_METADATA,
  MCP_PROMPT_METADATA,
  MCP_RESOURCE_METADATA,
  MCP_SCOPES_METADATA,
  MCP_TOOL_METADATA,
} from '../decorators/mcp-metadata.constants.js';

/** What one method was decorated as; a method may carry at most one of these. */
export type McpMethodMetadata =
  | { readonly kind: 'tool'; readonly options: McpToolOptions }
  | { readonly kind: 'resource'; readonly options: McpResourceOptions }
  | { readonly kind: 'prompt'; readonly options: McpPromptOptions }
  | { readonly kind: 'completion'; readonly options: McpCompletionOptions };

/** The only place that reads the MCP decorators' metadata. */
@Injectable()
export class McpMetadataAccessor {
  constructor(private readonly reflector: Reflector) {}

  /** Every MCP role of `method`: empty for undecorated methods. */
  rolesOf(method: (...args: never[]) => unknown): McpMethodMetadata[] {
    const roles: McpMethodMetadata[] = [];
    // `@McpScopes()` lands in the options' `scopes`, so entries have one source of truth.
    const scopes = this.reflector.get<string[] | undefined>(MCP_SCOPES_METADATA, method);
    const withScopes = <T extends { scopes?: string[] }>(options: T): T =>
      scopes === undefined ? options : { ...options, scopes };
    const tool = this.reflector.get<McpToolOptions | undefined>(MCP_TOOL_METADATA, method);
    if (tool !== undefined) roles.push({ kind: 'tool', options: withScopes(tool) });
    const resource = this.reflector.get<McpResourceOptions | undefined>(MCP_RESOURCE_METADATA, method);
    if (resource !== undefined) roles.push({ kind: 'resource', options: withScopes(resource) });
    const prompt = this.reflector.get<McpPromptOptions | undefined>(MCP_PROMPT_METADATA, method);
    if (prompt !== undefined) roles.push({ kind: 'prompt', options: withScopes(prompt) });
    const completion = this.reflector.get<McpCompletionOptions | undefined>(MCP_COMPLETION_METADATA, method);
    if (completion !== undefined) roles.push({ kind: 'completion', options: completion });
    return roles;
  }
}
