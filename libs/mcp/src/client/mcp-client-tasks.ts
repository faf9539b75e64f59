import type {
  CallToolResult,
  Client,
  ClientCapabilities,
  StandardSchemaV1,
} from '@modelcontextprotocol/client';
import { TASK_HANDLE_META_KEY } from './task-handle.adapter.js';

/** The tasks extension's identifier (`io.modelcontextprotocol/tasks`, SEP-2663). */
export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';

export type McpClientTaskStatus = 'working' | 'input_required' | 'completed' | 'failed' | 'cancelled';

/** A task as `tasks/get` reports it (`DetailedTask`). */
export interface McpClientTask {
  taskId: string;
  status: McpClientTaskStatus;
  statusMessage?: string;
  createdAt: string;
  lastUpdatedAt: string;
  ttlMs: number | null;
  pollIntervalMs?: number;
  /** `input_required`: the questions, by key (`elicitation/create`, ...). */
  inputRequests?: Record<string, { method: string; params?: Record<string, unknown> }>;
  /** `completed`: the tool's `CallToolResult`. */
  result?: CallToolResult;
  /** `failed`: the JSON-RPC error. */
  error?: { code: number; message: string; data?: unknown };
}

/** What `start` resolves with: a task to follow, or the plain result when the server ran the call inline. */
export type McpTaskStart = { task: McpClientTask } | { result: CallToolResult };

export interface McpTaskFollowOptions {
  /** Told every state seen (each poll). */
  onStatus?: (task: McpClientTask) => void;
  /**
   * Answers the task's questions: called once per new `inputRequests` key; its value goes back
   * with `tasks/update`. Without it, `follow` resolves as soon as the task needs input.
   */
  answer?: (
    key: string,
    request: { method: string; params?: Record<string, unknown> },
  ) => Promise<unknown> | unknown;
  /** Stops following (the task goes on; `cancel` stops it). */
  signal?: AbortSignal;
  /** Poll interval when the server suggests none, in ms. Default 1,000. */
  defaultPollIntervalMs?: number;
}

const TERMINAL: ReadonlySet<string> = new Set(['completed', 'failed', 'cancelled']);

/** Results pass as they are: the server's answer is the contract here. */
const ANY_RESULT: StandardSchemaV1<unknown, Record<string, unknown>> = {
  '~standard': {
    version: 1,
    vendor: 'nest-mcp',
    validate: (value) => ({ value: value as Record<string, unknown> }),
  },
};

/**
 * The client side of the tasks extension, on the fallback client's connection (`mcp.tasks`):
 * start a tool as a task, read it, answer its questions, cancel it, follow it to its end. Every
 * request declares the extension in its per-request capabilities (2026-07-28 era); against a
 * 2025-era server `start` gets the plain result (or the server's -32021 for a task-only tool).
 */
export class McpClientTasks {
  constructor(
    private readonly client: Client,
    private readonly capabilities: ClientCapabilities,
  ) {}

  /** `tools/call` offering a task: resolves with the task handle, or the inline result. */
  async start(name: string, args: Record<string, unknown> = {}): Promise<McpTaskStart> {
    const result = await this.request('tools/call', { name, arguments: args });
    const handle = (result['_meta'] as Record<string, unknown> | undefined)?.[TASK_HANDLE_META_KEY];
    if (handle !== undefined) return { task: handle as McpClientTask };
    return { result: result as unknown as CallToolResult };
  }

  /** `tasks/get`. Rejects with the server's error (-32602: unknown, expired or not yours). */
  async get(taskId: string): Promise<McpClientTask> {
    const { resultType: _complete, _meta, ...task } = await this.request('tasks/get', { taskId });
    return task as unknown as McpClientTask;
  }

  /** `tasks/update`: answers to the task's `inputRequests`, by key. */
  async update(taskId: string, inputResponses: Record<string, unknown>): Promise<void> {
    await this.request('tasks/update', { taskId, inputResponses });
  }

  /** `tasks/cancel`. Cooperative: read the task to see it end. */
  async cancel(taskId: string): Promise<void> {
    await this.request('tasks/cancel', { taskId });
  }

  /**
   * Polls `tasks/get` (at the task's `pollIntervalMs`) until the task ends, answering its
   * questions with `options.answer`; resolves with the last state seen.
   */
  async follow(taskId: string, options: McpTaskFollowOptions = {}): Promise<McpClientTask> {
    const answered = new Set<string>();
    for (;;) {
      options.signal?.throwIfAborted();
      const task = await this.get(taskId);
      options.onStatus?.(task);
      if (TERMINAL.has(task.status)) return task;
      if (task.status === 'input_required') {
        const open = Object.entries(task.inputRequests ?? {}).filter(([key]) => !answered.has(key));
        if (open.length > 0 && options.answer === undefined) return task;
        const responses: Record<string, unknown> = {};
        for (const [key, request] of open) {
          responses[key] = await options.answer!(key, request);
          answered.add(key);
        }
        if (open.length > 0) {
          await this.update(taskId, responses);
          continue;
        }
      }
      await sleep(task.pollIntervalMs ?? options.defaultPollIntervalMs ?? 1_000, options.signal);
    }
  }

  private request(method: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    const capabilities = {
      ...this.capabilities,
      extensions: { ...(this.capabilities as { extensions?: object }).extensions, [TASKS_EXTENSION]: {} },
    };
    return this.client.request(
      {
        method,
        params: { ...params, _meta: { 'io.modelcontextprotocol/clientCapabilities': capabilities } },
      },
      ANY_RESULT,
    );
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', aborted);
      resolve();
    }
    function aborted() {
      clearTimeout(timer);
      reject(signal!.reason);
    }
    signal?.addEventListener('abort', aborted, { once: true });
  });
}
