import type { Logger } from '@nestjs/common';
import type { ApplicationConfig, HttpAdapterHost, ModuleRef } from '@nestjs/core';
import { McpWsAdapter } from './mcp-ws.adapter.js';

/**
 * Nest serves gateways through one app-wide adapter and, when the app chose none, loads
 * socket.io, which exits the process when it is not installed. The MCP WebSocket transport
 * is on by default, so an app that never heard of WebSockets must not need to call
 * `app.useWebSocketAdapter()`: when the app has no adapter yet, this installs `McpWsAdapter`.
 * An adapter the app sets later (`app.useWebSocketAdapter(...)`) replaces it, as in Nest.
 *
 * Nest does not inject its `ApplicationConfig`; it is reached through the module reference's
 * container, which every Nest version since 8 has. If that ever changes, this only warns.
 */
export function installDefaultWsAdapter(moduleRef: ModuleRef, host: HttpAdapterHost, logger: Logger): void {
  const config = (moduleRef as unknown as { container?: { applicationConfig?: ApplicationConfig } }).container
    ?.applicationConfig;
  if (config === undefined || typeof config.getIoAdapter !== 'function') {
    logger.warn(
      'Could not install the WebSocket adapter: call app.useWebSocketAdapter(new McpWsAdapter(app)) before listen()',
    );
    return;
  }
  if (config.getIoAdapter() === undefined || config.getIoAdapter() === null) {
    config.setIoAdapter(McpWsAdapter.deferred(host));
  }
}
