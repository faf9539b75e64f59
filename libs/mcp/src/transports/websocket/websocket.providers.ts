import type { Provider } from '@nestjs/common';
import { McpWebSocketService } from './mcp-websocket.service.js';

export { createMcpWebSocketGateway } from './mcp-websocket.gateway.js';

export const websocketProviders: Provider[] = [McpWebSocketService];
