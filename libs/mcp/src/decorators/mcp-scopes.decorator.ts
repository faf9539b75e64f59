import { SetMetadata } from '@nestjs/common';
import { MCP_SCOPES_METADATA } from './mcp-metadata.constants.js';

/**
 * The OAuth scopes an access token must hold to use this tool, resource (template) or prompt,
 * when the module is an OAuth protected resource (`auth` option). Without it the module's
 * `auth.defaultScopes` apply; `@McpScopes()` with no scope means none are needed. A caller
 * without them gets HTTP 403 with an `insufficient_scope` challenge naming every scope listed
 * here (step-up), or, on a WebSocket, the JSON-RPC error -32010 with `data.error:
 * "insufficient_scope"`. Same as the `scopes` field of the decorator's options.
 *
 * @example
 * ```ts
 * @McpTool({ name: 'create_note' })
 * @McpScopes('notes:write')
 * create(@McpArgs() input: CreateNoteDto) { ... }
 * ```
 */
export const McpScopes = (...scopes: string[]): MethodDecorator => SetMetadata(MCP_SCOPES_METADATA, scopes);
