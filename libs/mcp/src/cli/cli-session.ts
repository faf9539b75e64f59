import type { CallToolResult, ListToolsResult } from '@modelcontextprotocol/client';

/**
 * What a CLI command needs from a connected server, whichever way it was reached: the fallback
 * client for a URL (`McpFallbackClient` has this shape), the stdio session for `--stdio`.
 */
export interface CliSession {
  /** Printed as the first line of output: `transport: <name>`. */
  readonly transportName: string | undefined;
  listTools(): Promise<ListToolsResult>;
  callTool(name: string, args: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}
