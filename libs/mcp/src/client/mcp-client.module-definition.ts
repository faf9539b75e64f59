import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { McpFallbackClientOptions } from './fallback-client.options.js';

/** Options of {@link McpClientModule}: the server's URL and the fallback client's options. */
export interface McpClientModuleOptions extends McpFallbackClientOptions {
  /** The MCP route, e.g. `https://notes.example.com/mcp`. */
  url: string;
  /** Connect during module init (default true); false connects on first use. */
  connectOnInit?: boolean;
}

export const {
  ConfigurableModuleClass: McpClientConfigurableModule,
  MODULE_OPTIONS_TOKEN: MCP_CLIENT_MODULE_OPTIONS,
} = new ConfigurableModuleBuilder<McpClientModuleOptions>().setClassMethodName('register').build();
