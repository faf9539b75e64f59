import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
  Optional,
} from '@nestjs/common';
import { MCP_SHARED_STATE } from '../mcp.constants.js';
import type { McpSharedState } from './shared-state.interface.js';

/**
 * Connects the shared state (the `state` option) before the app serves anything, so an
 * unreachable Redis fails start-up with its message instead of failing requests later, and
 * closes it when the app shuts down.
 */
@Injectable()
export class SharedStateLifecycle implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('McpSharedState');

  constructor(@Optional() @Inject(MCP_SHARED_STATE) private readonly state?: McpSharedState | null) {}

  async onModuleInit(): Promise<void> {
    if (!this.state) return;
    await this.state.connect();
    this.logger.log(`Shared state connected (${this.state.name})`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.state?.close();
  }
}
