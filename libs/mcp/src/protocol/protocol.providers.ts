import type { Provider } from '@nestjs/common';
import { McpProtocolService } from './mcp-protocol.service.js';

export const protocolProviders: Provider[] = [McpProtocolService];
