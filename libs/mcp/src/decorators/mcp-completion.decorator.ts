import { SetMetadata } from '@nestjs/common';
import type { McpCompletionOptions } from './decorator-options.js';
import { MCP_COMPLETION_METADATA } from './mcp-metadata.constants.js';

/**
 * Marks a method as the completer of one prompt argument or one resource template
 * variable. The method is called as `(value, { arguments })` and returns candidate strings.
 * A completion naming a prompt or template that does not exist fails start-up.
 *
 * @example
 * ```ts
 * @McpCompletion({ resourceTemplate: 'notes://notes/{id}', argument: 'id' })
 * ids(value: string) { return this.notes.ids().filter((id) => id.startsWith(value)); }
 * ```
 */
export const McpCompletion = (options: McpCompletionOptions): MethodDecorator =>
  SetMetadata(MCP_COMPLETION_METADATA, options);
