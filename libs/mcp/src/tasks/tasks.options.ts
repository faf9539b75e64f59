import type { McpTaskStore } from './task-store.interface.js';

/**
 * How a tool takes part in the tasks extension (`@McpTool({ task })`):
 * - `optional`: a client that declared `io.modelcontextprotocol/tasks` on the request gets a
 *   task handle (`CreateTaskResult`); any other client gets the plain result, the call held open
 *   as usual.
 * - `required`: the tool only runs as a task; a client that did not declare the extension gets
 *   -32021 (Missing Required Client Capability) naming it (spec, "Capability Negotiation").
 */
export type McpToolTaskSupport = 'optional' | 'required';

/** `@McpTool({ task: { ... } })`; a bare `'optional'` / `'required'` takes the defaults. */
export interface McpToolTaskOptions {
  support: McpToolTaskSupport;
  /** Time to live of each task from its creation, in ms; `null`: unlimited. Default: `tasks.defaultTtlMs`. */
  ttlMs?: number | null;
  /** Poll interval suggested to clients, in ms. Default: `tasks.pollIntervalMs`. */
  pollIntervalMs?: number;
  /**
   * How long a call runs inline before it becomes a task, in ms. Default 0: the task is created
   * before the handler starts. Above 0, a handler that finishes within the window answers with
   * its plain result (the spec's immediate-result shortcut), and questions it asks within the
   * window (`ctx.elicit`, ...) use the multi round-trip flow on the call itself, so input is
   * gathered before the task exists (spec: "resolve all MRTR exchanges synchronously before
   * responding with a CreateTaskResult"); after it, questions become the task's `inputRequests`.
   */
  immediateMs?: number;
}

/** A tool's task settings with every default applied (`ToolEntry.task`). */
export interface ToolTaskSettings {
  readonly support: McpToolTaskSupport;
  /** `undefined`: the module's default. */
  readonly ttlMs: number | null | undefined;
  readonly pollIntervalMs: number | undefined;
  readonly immediateMs: number;
}

export function toolTaskSettings(
  option: McpToolTaskSupport | McpToolTaskOptions | undefined,
  label: string,
): ToolTaskSettings | undefined {
  if (option === undefined) return undefined;
  const options = typeof option === 'string' ? { support: option } : option;
  if (options.support !== 'optional' && options.support !== 'required') {
    throw new Error(`${label}: task support must be 'optional' or 'required'`);
  }
  const ttlMs = options.ttlMs;
  if (ttlMs !== undefined && ttlMs !== null && !isPositiveInteger(ttlMs)) {
    throw new Error(`${label}: task.ttlMs must be a positive integer (ms) or null`);
  }
  if (options.pollIntervalMs !== undefined && !isPositiveInteger(options.pollIntervalMs)) {
    throw new Error(`${label}: task.pollIntervalMs must be a positive integer (ms)`);
  }
  const immediateMs = options.immediateMs ?? 0;
  if (!Number.isSafeInteger(immediateMs) || immediateMs < 0) {
    throw new Error(`${label}: task.immediateMs must be a non-negative integer (ms)`);
  }
  return Object.freeze({
    support: options.support,
    ttlMs,
    pollIntervalMs: options.pollIntervalMs,
    immediateMs,
  });
}

/** `McpModule.forRoot({ tasks })`: the tasks extension's store, defaults and limits. */
export interface McpTasksOptions {
  /**
   * Where tasks live. Default: the shared state's task store (`redisState()` has one), else in
   * this process's memory.
   */
  store?: McpTaskStore;
  /** Time to live of a task, in ms, unless its tool says otherwise. Default 3,600,000 (one hour). */
  defaultTtlMs?: number;
  /** Poll interval suggested to clients (`pollIntervalMs`), in ms. Default 1,000. */
  pollIntervalMs?: number;
  /**
   * Tasks one principal may have not yet terminal (working or input_required), across the fleet;
   * a further task-creating call is refused with -32011. Default 32.
   */
  maxActivePerPrincipal?: number;
  /** Tasks this instance runs at once; a further task-creating call is refused with -32011. Default 1,000. */
  maxActivePerInstance?: number;
  /**
   * Largest final result kept, in bytes of its JSON form; a larger one fails the task
   * (`failed`, -32603). Default 4 MiB.
   */
  maxResultBytes?: number;
}

export type ResolvedMcpTasksOptions = Readonly<Required<Omit<McpTasksOptions, 'store'>>>;

export function resolveTasksOptions(options: McpTasksOptions | undefined): ResolvedMcpTasksOptions {
  const resolved = {
    defaultTtlMs: options?.defaultTtlMs ?? 3_600_000,
    pollIntervalMs: options?.pollIntervalMs ?? 1_000,
    maxActivePerPrincipal: options?.maxActivePerPrincipal ?? 32,
    maxActivePerInstance: options?.maxActivePerInstance ?? 1_000,
    maxResultBytes: options?.maxResultBytes ?? 4 * 1024 * 1024,
  };
  for (const [name, value] of Object.entries(resolved)) {
    if (!isPositiveInteger(value)) throw new Error(`McpModule: tasks.${name} must be a positive integer`);
  }
  return resolved;
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}
