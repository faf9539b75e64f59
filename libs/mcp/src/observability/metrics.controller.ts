import { Controller, Get, Req, Res, type Type } from '@nestjs/common';
import { nodeExchangeOf } from '../platforms/http-exchange.js';
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
    async scrape(@Req() request: unknown, @Res() response: unknown): Promise<void> {
      const { res } = nodeExchangeOf(request, response);
      const body = await this.metrics.scrape();
      res.writeHead(200, { 'content-type': this.metrics.registry.contentType });
      res.end(body);
    }
  }
  return McpMetricsController;
}
