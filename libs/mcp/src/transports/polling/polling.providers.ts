import type { Provider } from '@nestjs/common';
import { McpPollingService } from './mcp-polling.service.js';

export const pollingProviders: Provider[] = [McpPollingService];
