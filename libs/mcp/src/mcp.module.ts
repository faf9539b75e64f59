import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { MCP_RESOLVED_OPTIONS } from './mcp.constants.js';
import {
  MCP_ASYNC_OPTIONS_TYPE,
  MCP_MODULE_OPTIONS,
  MCP_OPTIONS_TYPE,
  McpConfigurableModule,
} from './mcp.module-definition.js';
import { type McpModuleExtras, type McpModuleOptions, resolveMcpOptions } from './mcp.options.js';
import { discoveryProviders } from './discovery/discovery.providers.js';
import { protocolProviders } from './protocol/protocol.providers.js';
import { registryProviders } from './registry/registry.providers.js';
import { stateProviders } from './state/state.providers.js';
import {
  createStreamableHttpController,
  streamableHttpProviders,
} from './transports/http/streamable-http.providers.js';
import { stdioProviders } from './transports/stdio/stdio.providers.js';

/**
 * Serves the app's `@McpTool`, `@McpResource` and `@McpPrompt` handlers over Streamable
 * HTTP (both protocol eras) on one route, and over stdio on demand.
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
    return {
      ...base,
      controllers: [...(base.controllers ?? []), createStreamableHttpController(extras.route ?? '/mcp')],
      providers: [
        ...(base.providers ?? []),
        resolvedOptions,
        ...stateProviders,
        ...registryProviders,
        ...discoveryProviders,
        ...protocolProviders,
        ...streamableHttpProviders,
        ...stdioProviders,
      ],
      exports: [
        MCP_RESOLVED_OPTIONS,
        ...registryProviders,
        ...discoveryProviders,
        ...protocolProviders,
        ...stdioProviders,
      ],
    };
  }
}
