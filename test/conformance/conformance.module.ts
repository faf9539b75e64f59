import { Module } from '@nestjs/common';
import { McpModule } from 'nest-mcp';
import { redisStateOptions } from 'nest-mcp/redis';
import { ClientRequestTools } from './client-request-tools.provider.js';
import { ConformancePrompts } from './conformance-prompts.provider.js';
import { ConformanceResources } from './conformance-resources.provider.js';
import { ContentTools } from './content-tools.provider.js';
import { CustomHeaderTools } from './custom-header-tools.provider.js';
import { ListChangeTriggers } from './list-change-triggers.provider.js';
import { TaskTools } from './task-tools.provider.js';

/**
 * Everything the official conformance server scenarios call, authored with the library's
 * own decorators: the suite judges the library exactly as an app would use it.
 */
@Module({
  imports: [
    McpModule.forRoot({
      serverInfo: { name: 'nest-mcp-conformance', version: '1.0.0' },
      instructions: 'Conformance fixture of nest-mcp.',
      // SSE polling on: a 2025-era call still running after 250 ms (only `test_reconnection`,
      // by design) gets its stream ended with `retry` and is resumed with Last-Event-ID.
      http: { ssePollingIntervalMs: 250 },
      // Several instances behind a load balancer (`npm run conformance` does it too).
      ...(process.env['REDIS_URL']
        ? redisStateOptions({
            url: process.env['REDIS_URL'],
            keyPrefix: process.env['MCP_REDIS_PREFIX'] ?? 'nest-mcp:conformance:',
            requestStateKeys: [process.env['MCP_REQUEST_STATE_KEY']],
          })
        : {}),
    }),
  ],
  providers: [
    ContentTools,
    ClientRequestTools,
    ConformanceResources,
    ConformancePrompts,
    ListChangeTriggers,
    CustomHeaderTools,
    TaskTools,
  ],
})
export class ConformanceModule {}
