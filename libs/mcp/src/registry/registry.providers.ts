import type { Provider } from '@nestjs/common';
import { MCP_CATALOG } from '../mcp.constants.js';
import { McpRegistry } from './mcp-registry.service.js';

/** The registry, and the same instance as the read-only catalog the protocol layer injects. */
export const registryProviders: Provider[] = [
  McpRegistry,
  { provide: MCP_CATALOG, useExisting: McpRegistry },
];
