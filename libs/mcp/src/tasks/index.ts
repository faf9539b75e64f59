export { TASKS_EXTENSION_ID, type McpTaskStatus, type McpTaskError, type StoredTask } from './task.types.js';
export type { McpTaskStore } from './task-store.interface.js';
export { InMemoryTaskStore } from './in-memory-task.store.js';
export { McpTaskRunner } from './task-runner.service.js';
export { MCP_TASK_STORE } from './tasks.constants.js';
export type {
  McpTasksOptions,
  McpToolTaskOptions,
  McpToolTaskSupport,
  ToolTaskSettings,
} from './tasks.options.js';
