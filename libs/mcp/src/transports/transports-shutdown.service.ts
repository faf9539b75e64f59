import type { Server } from 'node:http';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { MCP_RESOLVED_OPTIONS } from '../mcp.constants.js';
import type { ResolvedMcpOptions } from '../mcp.options.js';
import { HttpServerDrain } from './http/http-server-drain.js';
import { StreamableHttpService } from './http/streamable-http.service.js';
import { McpPollingService } from './polling/mcp-polling.service.js';
import { McpWebSocketService } from './websocket/mcp-websocket.service.js';

/**
 * How long the server keeps listening, once every transport has drained, after the last
 * connection or request arrived. Long enough for a client that was just answered (or sent
 * 1001) to come back and be told 503 rather than meet a closed socket; short enough not to
 * hold up the shutdown of a quiet server.
 */
export const SHUTDOWN_QUIET_MS = 250;

/**
 * The MCP route's graceful shutdown, on Nest's shutdown hooks (`app.enableShutdownHooks()`
 * or `app.close()`), before the HTTP server closes:
 *  1. every transport stops taking new work at the same moment (HTTP both eras, polling,
 *     WebSocket upgrades: 503 + `Retry-After`), and every response from then on carries
 *     `Connection: close`;
 *  2. each transport cancels its in-flight requests and gives them its grace period to
 *     answer, ends listens and streams, closes sessions, channels and sockets (1001);
 *  3. the server stays open until clients have gone quiet (`SHUTDOWN_QUIET_MS`, at most the
 *     longest grace period from the start), so that none is reset.
 * One hook for all of them because Nest runs a module's hooks in dependency order, one
 * level after another: separately, polling would still take work while HTTP drained.
 */
@Injectable()
export class TransportsShutdown implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly graceMs: number;
  private drain: HttpServerDrain | undefined;

  constructor(
    private readonly http: StreamableHttpService,
    private readonly polling: McpPollingService,
    private readonly websocket: McpWebSocketService,
    private readonly adapterHost: HttpAdapterHost,
    @Inject(MCP_RESOLVED_OPTIONS) options: ResolvedMcpOptions,
  ) {
    this.graceMs = Math.max(
      options.http.shutdownGraceMs,
      options.websocket.shutdownGraceMs,
      options.polling.shutdownGraceMs,
    );
  }

  onApplicationBootstrap(): void {
    this.drain = this.serverDrain();
    this.drain?.track();
  }

  async beforeApplicationShutdown(): Promise<void> {
    const deadline = performance.now() + this.graceMs;
    const drain = (this.drain ??= this.serverDrain());
    drain?.begin();
    await Promise.all([this.http.shutdown(), this.polling.shutdown(), this.websocket.shutdown()]);
    await drain?.settle(SHUTDOWN_QUIET_MS, deadline);
    drain?.endUnusedConnections();
  }

  /** The HTTP server is created after the providers, so it is looked up here, not injected. */
  private serverDrain(): HttpServerDrain | undefined {
    // An application context (stdio) has no HTTP adapter: the host holds null, not undefined.
    const adapter = this.adapterHost.httpAdapter as typeof this.adapterHost.httpAdapter | null | undefined;
    const server = adapter?.getHttpServer() as Server | undefined;
    return server === undefined ? undefined : new HttpServerDrain(server);
  }
}
