import { Inject, Injectable, Optional } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { MCP_RESOLVED_OPTIONS, MCP_SHARED_STATE } from '../mcp.constants.js';
import type { ResolvedMcpOptions } from '../mcp.options.js';
import type { McpSharedState } from '../state/shared-state.interface.js';
import { McpWebSocketService } from '../transports/websocket/mcp-websocket.service.js';

/**
 * A `@nestjs/terminus` health indicator: up while the MCP server accepts connections, down
 * while it shuts down, when the WebSocket transport is at capacity (so a load balancer
 * sends new clients elsewhere), or when its shared state (the `state` option, e.g. Redis) is
 * unreachable; the details then name the state's status (`details.redis`). Terminus is an optional peer dependency, loaded on the first
 * check only, so apps without it can still import this library.
 *
 * ```ts
 * @Get('health') @HealthCheck()
 * check() { return this.health.check([() => this.mcp.isHealthy('mcp')]); }
 * ```
 */
@Injectable()
export class McpHealthIndicator {
  private indicators: HealthIndicatorService | undefined;

  constructor(
    private readonly moduleRef: ModuleRef,
    @Inject(MCP_RESOLVED_OPTIONS) private readonly options: ResolvedMcpOptions,
    @Optional() private readonly websocket?: McpWebSocketService,
    @Optional() @Inject(MCP_SHARED_STATE) private readonly state?: McpSharedState | null,
  ) {}

  async isHealthy<const Key extends string>(key: Key): Promise<HealthIndicatorResult<Key>> {
    const indicator = (await this.indicatorService()).check(key);
    const websocket =
      this.websocket === undefined || !this.options.transports.websocket
        ? undefined
        : {
            open: this.websocket.openConnections,
            max: this.websocket.maxConnections,
            accepting: this.websocket.accepting,
          };
    const state = this.state ? this.state.health() : undefined;
    const details = {
      serverName: this.options.serverInfo.name,
      ...(websocket && { websocket }),
      ...(state && { [this.state!.name]: { up: state.up, ...state.details } }),
    };
    const up = (websocket === undefined || websocket.accepting) && (state === undefined || state.up);
    return up ? indicator.up(details) : indicator.down(details);
  }

  private async indicatorService(): Promise<HealthIndicatorService> {
    if (this.indicators !== undefined) return this.indicators;
    const terminus = await import('@nestjs/terminus');
    let service: HealthIndicatorService;
    try {
      service = this.moduleRef.get(terminus.HealthIndicatorService, { strict: false });
    } catch {
      service = new terminus.HealthIndicatorService();
    }
    return (this.indicators = service);
  }
}
