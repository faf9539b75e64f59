import { SetMetadata } from '@nestjs/common';
import type { McpPromptOptions } from './decorator-options.js';
import { MCP_PROMPT_METADATA } from './mcp-metadata.constants.js';

/**
 * Marks a method as an MCP prompt (see `McpPromptOptions`).
 *
 * @example
 * ```ts
 * @McpPrompt({ name: 'review_note', arguments: z.object({ noteId: z.string() }) })
 * review(@McpArgs() args: { noteId: string }) { return `Review note ${args.noteId}`; }
 * ```
 */
export const McpPrompt = (options: McpPromptOptions = {}): MethodDecorator =>
  SetMetadata(MCP_PROMPT_METADATA, options);
