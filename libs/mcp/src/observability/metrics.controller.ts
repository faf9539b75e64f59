import type { ServerResponse } from 'node:http';
import { Controller, Get, Res, type Type } from '@nestjs/common';
import { McpMetricsService } from './mcp-metrics.service.js';

/**
 * The opt-in Prometheus route (`metrics: { route }`), created per registration because the
 * route is an option. It writes to Node's response directly so no interceptor reshapes it.
 */
export function createMetricsController(route: string): Type {
  @Controller(route)
  class McpMetricsController {
    constructor(private readonly metrics: McpMetricsService) {}

    @Get()
    async scrape(@Res() res: ServerResponse): Promise<void> {
      const body = await this.metrics.scrape();
      res.writeHead(200, { 'content-type': this.metrics.registry.contentType });
      res.end(body);
    }
  }
  return McpMetricsController;
}
