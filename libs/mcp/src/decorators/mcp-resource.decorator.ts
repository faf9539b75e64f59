import { SetMetadata } from '@nestjs/common';
import type { McpResourceOptions } from './decorator-options.js';
import { MCP_RESOURCE_METADATA } from './mcp-metadata.constants.js';

/**
 * Marks a method as the reader of a fixed resource (`uri`) or of every URI that matches a
 * template (`uriTemplate`). Exactly one of the two must be set; this is checked at start-up.
 *
 * @example
 * ```ts
 * @McpResource({ uriTemplate: 'notes://notes/{id}', mimeType: 'text/markdown' })
 * note(@McpArgs() { variables }: McpResourceArgs) { ... }
 * ```
 */
export const McpResource = (options: McpResourceOptions): MethodDecorator =>
  SetMetadata(MCP_RESOURCE_METADATA, options);
