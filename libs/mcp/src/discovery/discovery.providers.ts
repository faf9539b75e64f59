import type { Provider } from '@nestjs/common';
import { McpHandlerFactory } from '../pipeline/mcp-handler.factory.js';
import { McpExplorer } from './mcp.explorer.js';
import { McpMetadataAccessor } from './mcp-metadata.accessor.js';

/** Finds decorated handlers at start-up and wraps them in the Nest pipeline. */
export const discoveryProviders: Provider[] = [McpMetadataAccessor, McpHandlerFactory, McpExplorer];
