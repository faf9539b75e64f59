import type { Provider } from '@nestjs/common';
import { McpHealthIndicator } from './mcp-health.indicator.js';
import { McpMetricsService } from './mcp-metrics.service.js';

export { createMetricsController } from './metrics.controller.js';

export const observabilityProviders: Provider[] = [McpMetricsService, McpHealthIndicator];
