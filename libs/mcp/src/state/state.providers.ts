import type { Provider } from '@nestjs/common';
import { InMemoryServerEventBus } from '@modelcontextprotocol/server';
import { MCP_CHANGE_BUS, MCP_EVENT_STORE, MCP_SHARED_STATE } from '../mcp.constants.js';
import { MCP_MODULE_OPTIONS } from '../mcp.module-definition.js';
import type { McpModuleOptions } from '../mcp.options.js';
import { McpFleetChanges } from './fleet-changes.service.js';
import { InMemoryEventStore } from './in-memory-event-store.js';
import { SharedStateLifecycle } from './shared-state.lifecycle.js';

/**
 * The change bus (list-changed and resource-updated events), the SSE event store, and the
 * shared state of a fleet. Without `state`, bus and store are in memory; `changeBus` /
 * `eventStore` in the module options replace them, and `state` (e.g. `redisState()`) brings a
 * bus shared by every instance. They are read from the raw options because the resolved
 * options carry plain settings only.
 */
export const stateProviders: Provider[] = [
  {
    provide: MCP_SHARED_STATE,
    useFactory: (options: McpModuleOptions) => options.state ?? null,
    inject: [MCP_MODULE_OPTIONS],
  },
  {
    provide: MCP_CHANGE_BUS,
    useFactory: (options: McpModuleOptions) =>
      options.changeBus ?? options.state?.changeBus ?? new InMemoryServerEventBus(),
    inject: [MCP_MODULE_OPTIONS],
  },
  {
    provide: MCP_EVENT_STORE,
    useFactory: (options: McpModuleOptions) =>
      options.eventStore ?? options.state?.sessions?.events ?? new InMemoryEventStore(),
    inject: [MCP_MODULE_OPTIONS],
  },
  SharedStateLifecycle,
  McpFleetChanges,
];
