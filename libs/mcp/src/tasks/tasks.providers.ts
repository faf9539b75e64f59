import type { Provider } from '@nestjs/common';
import { MCP_MODULE_OPTIONS } from '../mcp.module-definition.js';
import type { McpModuleOptions } from '../mcp.options.js';
import { InMemoryTaskStore } from './in-memory-task.store.js';
import { McpTaskRunner } from './task-runner.service.js';
import { MCP_TASK_STORE } from './tasks.constants.js';

/** The task store (`tasks.store`, else the shared state's, else in memory) and the runner. */
export const tasksProviders: Provider[] = [
  {
    provide: MCP_TASK_STORE,
    useFactory: (options: McpModuleOptions) =>
      options.tasks?.store ?? options.state?.tasks ?? new InMemoryTaskStore(),
    inject: [MCP_MODULE_OPTIONS],
  },
  McpTaskRunner,
];
