import type { Provider } from '@nestjs/common';
import { InMemoryServerEventBus } from '@modelcontextprotocol/server';
import { MCP_CHANGE_BUS, MCP_EVENT_STORE } from '../mcp.constants.js';
import { MCP_MODULE_OPTIONS } from '../mcp.module-definition.js';
import type { McpModuleOptions } from '../mcp.options.js';
import { InMemoryEventStore } from './in-memory-event-store.js';

/**
 * The change bus (list-changed and resource-updated events) and the SSE event store.
 * Both default to in-memory implementations; `changeBus` / `eventStore` in the module
 * options replace them (a shared bus/store for multi-instance deployments). They are read
 * from the raw options because the resolved options carry plain settings only.
 */
export const stateProviders: Provider[] = [
  {
    provide: MCP_CHANGE_BUS,
    useFactory: (options: McpModuleOptions) => options.changeBus ?? new InMemoryServerEventBus(),
    inject: [MCP_MODULE_OPTIONS],
  },
  {
    provide: MCP_EVENT_STORE,
    useFactory: (options: McpModuleOptions) => options.eventStore ?? new InMemoryEventStore(),
    inject: [MCP_MODULE_OPTIONS],
  },
];
