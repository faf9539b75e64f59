import { type DynamicModule, Module, type Provider, UseGuards } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { MCP_RESOLVED_OPTIONS } from './mcp.constants.js';
import {
  MCP_ASYNC_OPTIONS_TYPE,
  MCP_MODULE_OPTIONS,
  MCP_OPTIONS_TYPE,
  McpConfigurableModule,
} from './mcp.module-definition.js';
import { type McpModuleExtras, type McpModuleOptions, resolveMcpOptions } from './mcp.options.js';
import { authProviders } from './auth/auth.providers.js';
import { McpAuthGuard } from './auth/mcp-auth.guard.js';
import { discoveryProviders } from './discovery/discovery.providers.js';
import { protocolProviders } from './protocol/protocol.providers.js';
import { registryProviders } from './registry/registry.providers.js';
import { securityProviders } from './security/security.providers.js';
import { McpFleetChanges } from './state/fleet-changes.service.js';
import { stateProviders } from './state/state.providers.js';
import { tasksProviders } from './tasks/tasks.providers.js';
import {
  createStreamableHttpController,
  streamableHttpProviders,
} from './transports/http/streamable-http.providers.js';
import { pollingProviders } from './transports/polling/polling.providers.js';
import { TransportsShutdown } from './transports/transports-shutdown.service.js';
import { stdioProviders } from './transports/stdio/stdio.providers.js';
import { createMcpWebSocketGateway, websocketProviders } from './transports/websocket/websocket.providers.js';
import { platformProviders } from './platforms/platforms.providers.js';
import { createMetricsController, observabilityProviders } from './observability/observability.providers.js';

/**
 * Serves the app's `@McpTool`, `@McpResource` and `@McpPrompt` handlers on one route over
 * Streamable HTTP (both protocol eras), WebSocket (the Upgrade on the same path) and the
 * polling extension, and over stdio on demand (`bootstrapStdio`).
 */
@Module({ imports: [DiscoveryModule] })
export class McpModule extends McpConfigurableModule {
  static override forRoot(options: typeof MCP_OPTIONS_TYPE): DynamicModule {
    return McpModule.withServing(super.forRoot(options), options);
  }

  static override forRootAsync(options: typeof MCP_ASYNC_OPTIONS_TYPE): DynamicModule {
    return McpModule.withServing(super.forRootAsync(options), options);
  }

  /** Adds what every registration needs; the route must be known now, so it is an extra. */
  private static withServing(base: DynamicModule, extras: McpModuleExtras): DynamicModule {
    const resolvedOptions: Provider = {
      provide: MCP_RESOLVED_OPTIONS,
      useFactory: (options: McpModuleOptions) => resolveMcpOptions(options, extras),
      inject: [MCP_MODULE_OPTIONS],
    };
    const route = extras.route ?? '/mcp';
    const httpController = createStreamableHttpController(route);
    // The route's guards protect the HTTP controller here and the WebSocket upgrade in the gateway.
    // The token check (a no-op without `auth`) runs before them, so they see the principal.
    if (extras.guards !== undefined && extras.guards.length > 0) {
      UseGuards(McpAuthGuard, ...extras.guards)(httpController);
    }
    // Known at declaration only with forRoot(); forRootAsync() registers the gateway, and a
    // factory that turns WebSocket off makes it refuse upgrades.
    const websocketOn = (extras as McpModuleOptions).transports?.websocket !== false;
    const metricsRoute = extras.metrics?.route;
    return {
      ...base,
      controllers: [
        ...(base.controllers ?? []),
        httpController,
        ...(metricsRoute === undefined ? [] : [createMetricsController(metricsRoute)]),
      ],
      providers: [
        ...(base.providers ?? []),
        resolvedOptions,
        ...stateProviders,
        ...tasksProviders,
        ...securityProviders,
        ...authProviders,
        ...registryProviders,
        ...discoveryProviders,
        ...protocolProviders,
        ...streamableHttpProviders,
        ...platformProviders,
        ...pollingProviders,
        ...stdioProviders,
        ...observabilityProviders,
        ...websocketProviders,
        TransportsShutdown,
        ...(websocketOn ? [createMcpWebSocketGateway(route)] : []),
      ],
      exports: [
        MCP_RESOLVED_OPTIONS,
        ...registryProviders,
        ...discoveryProviders,
        ...protocolProviders,
        ...stdioProviders,
        ...observabilityProviders,
        McpFleetChanges,
      ],
    };
  }
}
