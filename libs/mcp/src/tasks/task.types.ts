/**
 * The tasks extension (`io.modelcontextprotocol/tasks`, SEP-2663; specification
 * `modelcontextprotocol/ext-tasks`, specification/draft/tasks.md): wire shapes and the record
 * a task store keeps.
 */

/** The extension's identifier, under `capabilities.extensions` on both sides. */
export const TASKS_EXTENSION_ID = 'io.modelcontextprotocol/tasks';

export type McpTaskStatus = 'working' | 'input_required' | 'completed' | 'failed' | 'cancelled';

export const TERMINAL_TASK_STATUSES: ReadonlySet<McpTaskStatus> = new Set([
  'completed',
  'failed',
  'cancelled',
]);

export function isTerminalTaskStatus(status: McpTaskStatus): boolean {
  return TERMINAL_TASK_STATUSES.has(status);
}

/** A JSON-RPC error object, as a failed task carries it. */
export interface McpTaskError {
  readonly code: number;
  readonly message: string;
  readonly data?: unknown;
}

/**
 * One task as a store keeps it: the wire fields of `Task` plus what the server needs to
 * serve and bind it. Plain JSON (a Redis store serializes it).
 */
export interface StoredTask {
  readonly taskId: string;
  readonly status: McpTaskStatus;
  readonly statusMessage?: string;
  /** ISO 8601. */
  readonly createdAt: string;
  /** ISO 8601. */
  readonly lastUpdatedAt: string;
  /** Time to live from creation, integer milliseconds; `null`: kept until the store is cleared. */
  readonly ttlMs: number | null;
  /** Epoch milliseconds after which the task is gone (`createdAt + ttlMs`); `null`: never. */
  readonly expiresAt: number | null;
  readonly pollIntervalMs: number;
  /** Outstanding server-to-client requests, by key (status `input_required`). */
  readonly inputRequests?: Record<string, { method: string; params?: Record<string, unknown> }>;
  /** Answers delivered by `tasks/update` that the owning instance has not taken yet. */
  readonly answers?: Record<string, unknown>;
  /** Every input key ever issued: keys are unique over a task's lifetime (spec). */
  readonly issuedKeys?: readonly string[];
  /** The final `CallToolResult` (status `completed`). */
  readonly result?: Record<string, unknown>;
  /** The JSON-RPC error (status `failed`). */
  readonly error?: McpTaskError;
  /** The instance running the handler (its store-level id). */
  readonly owner: string;
  /** Binding of the principal that created it: only that principal may read or steer it. */
  readonly principal: string;
  /** The tool it runs, for logs. */
  readonly tool: string;
}

/** The `Task` fields of a record, as `CreateTaskResult`, `tasks/get` and notifications carry them. */
export function taskWireFields(task: StoredTask): Record<string, unknown> {
  return {
    taskId: task.taskId,
    status: task.status,
    ...(task.statusMessage !== undefined && { statusMessage: task.statusMessage }),
    createdAt: task.createdAt,
    lastUpdatedAt: task.lastUpdatedAt,
    ttlMs: task.ttlMs,
    pollIntervalMs: task.pollIntervalMs,
  };
}

/** `DetailedTask`: the status-specific payload inlined (spec, "Task Status"). */
export function detailedTask(task: StoredTask): Record<string, unknown> {
  const fields = taskWireFields(task);
  switch (task.status) {
    case 'input_required':
      return { ...fields, inputRequests: task.inputRequests ?? {} };
    case 'completed':
      return { ...fields, result: task.result ?? { content: [] } };
    case 'failed':
      return { ...fields, error: task.error ?? { code: -32603, message: 'Task failed' } };
    default:
      return fields;
  }
}
