/** Injection token of the `McpTaskStore` in use. */
export const MCP_TASK_STORE = Symbol('MCP_TASK_STORE');

/** Messages a client may read in `statusMessage` / `error.message`. */
export const TaskMessages = {
  notFound: 'Failed to retrieve task: Task not found (unknown, expired or not yours)',
  cancelled: 'Cancelled by the client',
  instanceLost: 'The server instance running this task stopped before it finished',
  shuttingDown: 'The server shut down before this task finished',
  expired: 'The task outlived its ttlMs',
  tooLarge: (bytes: number, limit: number) =>
    `The task's result is ${bytes} bytes of JSON, above the server's limit of ${limit}`,
  perPrincipal: (limit: number) => `Too many unfinished tasks for this principal (limit ${limit}); try later`,
  perInstance: (limit: number) => `This server instance runs its limit of ${limit} tasks; try later`,
} as const;
