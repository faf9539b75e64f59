import { Logger } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import { WsAdapter } from '@nestjs/platform-ws';
import type { MessageMappingProperties } from '@nestjs/websockets';
import type { Observable } from 'rxjs';
import type { WebSocket, WebSocketServer } from 'ws';

const clientErrorLogger = new Logger('WsAdapter');

/**
 * `@nestjs/platform-ws`'s `WsAdapter`, tuned for servers with many sockets; a drop-in for
 * `app.useWebSocketAdapter(new McpWsAdapter(app))` that serves the app's own gateways the
 * same way. Two differences: a gateway without `@SubscribeMessage` handlers (the MCP one
 * reads its frames itself) gets no per-socket message pipeline, so frames are not parsed
 * twice and no rxjs subscription is kept per socket; and errors a client causes (oversized
 * or malformed frames) are logged at debug level, not as server errors.
 */
export class McpWsAdapter extends WsAdapter {
  /**
   * An adapter whose HTTP server is looked up when the first gateway is created, so it can
   * be installed while the application is still being built (before the server exists).
   */
  static deferred(host: HttpAdapterHost): McpWsAdapter {
    const adapter = new McpWsAdapter();
    Object.defineProperty(adapter, 'httpServer', {
      get: () => host.httpAdapter?.getHttpServer(),
      configurable: true,
      enumerable: true,
    });
    return adapter;
  }

  override bindMessageHandlers(
    client: unknown,
    handlers: MessageMappingProperties[],
    transform: (data: unknown) => Observable<unknown>,
  ): void {
    if (handlers.length === 0) return;
    super.bindMessageHandlers(client, handlers, transform);
  }

  override bindErrorHandler(server: WebSocketServer): WebSocketServer {
    server.on('connection', (socket: WebSocket) => socket.on('error', logClientError));
    server.on('error', (error: Error) => this.logger.error(error));
    return server;
  }
}

function logClientError(error: Error): void {
  clientErrorLogger.debug(`client socket error: ${error.message}`);
}
