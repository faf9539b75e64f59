import { SetMetadata } from '@nestjs/common';
import type { McpToolOptions } from './decorator-options.js';
import { MCP_TOOL_METADATA } from './mcp-metadata.constants.js';

/**
 * Marks a provider or controller method as an MCP tool (see `McpToolOptions`).
 *
 * @example
 * ```ts
 * @McpTool({ name: 'create_note', input: CreateNoteDto })
 * create(@McpArgs() input: CreateNoteDto) { ... }
 * ```
 */
export const McpTool = (options: McpToolOptions = {}): MethodDecorator =>
  SetMetadata(MCP_TOOL_METADATA, options);
