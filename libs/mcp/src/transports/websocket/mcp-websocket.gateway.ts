import type { IncomingMessage } from 'node:http';
import type { Type } from '@nestjs/common';
import { type OnGatewayConnection, type OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import type { WebSocket } from 'ws';
import { McpWebSocketService, type VerifyUpgradeDone } from './mcp-websocket.service.js';

/** How long a peer gets to answer our close frame before `ws` drops the connection. */
const CLOSE_HANDSHAKE_TIMEOUT_MS = 2000;

/**
 * The MCP route's WebSocket gateway, created per module registration because the route is
 * an option: the Upgrade arrives on the same path as the Streamable HTTP controller, global
 * prefix and URI version included (Nest does not apply those to gateways by itself). It has
 * no `@SubscribeMessage` handlers: the transport reads each frame as one JSON-RPC message.
 * The `ws` server options point at the service (through `binding`), which Nest constructs
 * before it creates the server.
 */
export function createMcpWebSocketGateway(route: string): Type {
  const binding: { service?: McpWebSocketService } = {};
  const options = {
    // Read when Nest creates the gateway's server (after the app set its global prefix and versioning).
    get path(): string {
      return binding.service?.upgradePath ?? route;
    },
    perMessageDeflate: false,
    clientTracking: false,
    closeTimeout: CLOSE_HANDSHAKE_TIMEOUT_MS,
    get maxPayload(): number | undefined {
      return binding.service?.maxFrameBytes;
    },
    verifyClient: (info: { req: IncomingMessage }, done: VerifyUpgradeDone) =>
      binding.service!.verifyUpgrade(info, done),
    handleProtocols: (protocols: Set<string>) => binding.service!.selectSubprotocol(protocols),
  };

  @WebSocketGateway(options)
  class McpWebSocketGateway implements OnGatewayInit, OnGatewayConnection {
    constructor(private readonly service: McpWebSocketService) {
      binding.service = service;
      service.bindGateway(McpWebSocketGateway, McpWebSocketGateway.prototype.handleConnection);
    }

    afterInit(server: unknown): void {
      this.service.checkServer(server);
    }

    handleConnection(socket: WebSocket, request: IncomingMessage): void {
      this.service.accept(socket, request);
    }
  }
  return McpWebSocketGateway;
}
