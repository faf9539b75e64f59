import { randomBytes } from 'node:crypto';
import type { CallToolResult, Result } from '@modelcontextprotocol/server';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  Optional,
} from '@nestjs/common';
import { toWireError } from '../errors/failure-mapping.js';
import { McpWireError } from '../errors/wire-errors.js';
import { MCP_RESOLVED_OPTIONS } from '../mcp.constants.js';
import { MCP_MODULE_OPTIONS } from '../mcp.module-definition.js';
import type { McpModuleOptions, ResolvedMcpOptions } from '../mcp.options.js';
import { assertClientCanAnswer, type EmbeddedInputRequest, isAnswerTo } from '../protocol/input-required.js';
import type { RequestCall } from '../protocol/request-call.js';
import type { ToolEntry } from '../registry/registry-entries.js';
import { TaskExecution, type TaskExecutionHost } from './task-execution.js';
import { TaskStatusWatch } from './task-status-watch.js';
import type { McpTaskStore } from './task-store.interface.js';
import { isTerminalTaskStatus, type McpTaskError, type StoredTask, taskWireFields } from './task.types.js';
import { MCP_TASK_STORE, TaskMessages } from './tasks.constants.js';
import { type ResolvedMcpTasksOptions, resolveTasksOptions } from './tasks.options.js';
import { McpCancelledError } from '../errors/mcp-cancelled.error.js';

/** How often running tasks are checked against their records (see `onApplicationBootstrap`). */
const RECONCILE_INTERVAL_MS = 5_000;
/** The longest delay `setTimeout` honours (2^31 - 1 ms). */
const MAX_TIMER_MS = 2_147_483_647;

/** A running task on this instance: its request call (the handler's `ctx`) and execution. */
interface LocalTask {
  readonly call: RequestCall;
  readonly execution: TaskExecution;
  /** Stops the handler when the task outlives its `ttlMs` (its record is gone by then). */
  readonly expiry: NodeJS.Timeout | undefined;
}

/**
 * Runs task-capable tools as tasks and serves `tasks/get`, `tasks/update` and `tasks/cancel`
 * (extension `io.modelcontextprotocol/tasks`, SEP-2663). The handler keeps running after the
 * call was answered with the task handle; what it reports (status, questions, the result or
 * error) goes to the task store, where any instance reads it. Answers and cancellations that
 * reach another instance are written to the store and the owner is told (`notifyOwner`).
 */
@Injectable()
export class McpTaskRunner implements TaskExecutionHost, OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly settings: ResolvedMcpTasksOptions;
  private readonly logger = new Logger('McpTasks');
  private readonly running = new Map<string, LocalTask>();
  private readonly principalKey: (user: unknown) => string | undefined;
  private reconciler: NodeJS.Timeout | undefined;
  private readonly statusWatch: TaskStatusWatch;

  constructor(
    @Inject(MCP_TASK_STORE) readonly store: McpTaskStore,
    @Optional() @Inject(MCP_MODULE_OPTIONS) options: McpModuleOptions | undefined,
    @Inject(MCP_RESOLVED_OPTIONS) resolved: ResolvedMcpOptions,
  ) {
    this.settings = resolveTasksOptions(options?.tasks);
    this.principalKey = resolved.requestState.principalKey;
    store.onOwnerNotified((taskId) => this.onOwnerNotified(taskId));
    this.statusWatch = new TaskStatusWatch(store, this.logger);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.store.start();
    // A notification lost on the way (a Redis blip) must not strand a handler: every running
    // task is checked against its record now and then, answers and cancellation included.
    this.reconciler ??= setInterval(() => this.reconcile(), RECONCILE_INTERVAL_MS).unref();
  }

  /** Tasks still running here end as failed with a reason, then liveness reporting stops. */
  async beforeApplicationShutdown(): Promise<void> {
    const error = { code: -32603, message: TaskMessages.shuttingDown };
    await Promise.all(
      [...this.running.keys()].map((taskId) =>
        this.finish(taskId, { status: 'failed', statusMessage: error.message, error }).catch(() => undefined),
      ),
    );
    clearInterval(this.reconciler);
    this.reconciler = undefined;
    await this.store.stop();
  }

  /** Tasks this instance runs now. */
  get activeCount(): number {
    return this.running.size;
  }

  // ---- task creation ------------------------------------------------------------------------

  /**
   * Serves a `tools/call` of a task-capable tool for a client that declared the extension:
   * resolves with `CreateTaskResult` once the task is stored, or, within the tool's
   * `immediateMs`, with the plain result or the input-required answer of the call itself.
   */
  async runAsTask(call: RequestCall, entry: ToolEntry, body: () => Promise<CallToolResult>): Promise<Result> {
    const principal = this.bindingOf(call);
    await this.checkLimits(principal);
    const settings = entry.task!;
    if (settings.immediateMs === 0) {
      const { execution, created } = this.open(call, entry, principal);
      this.follow(execution.taskId, created, startBody(body));
      return created;
    }
    const running = startBody(body);
    let timer: NodeJS.Timeout | undefined;
    const window = new Promise<'window'>((resolve) => {
      timer = setTimeout(() => resolve('window'), settings.immediateMs);
    });
    const first = await Promise.race([
      running.then(
        () => 'done' as const,
        () => 'done' as const,
      ),
      window,
    ]);
    clearTimeout(timer);
    // Finished (or asked for input, or failed) inline: the call's own answer.
    if (first === 'done') return running;
    const { execution, created } = this.open(call, entry, principal);
    this.follow(execution.taskId, created, running);
    return created;
  }

  /** Binds a new task to the call (its questions go to the task from now on) and stores it. */
  private open(
    call: RequestCall,
    entry: ToolEntry,
    principal: string,
  ): { execution: TaskExecution; created: Promise<Result> } {
    const settings = entry.task!;
    const now = new Date();
    const ttlMs = settings.ttlMs === undefined ? this.settings.defaultTtlMs : settings.ttlMs;
    const task: StoredTask = {
      taskId: newTaskId(),
      status: 'working',
      createdAt: now.toISOString(),
      lastUpdatedAt: now.toISOString(),
      ttlMs,
      expiresAt: ttlMs === null ? null : now.getTime() + ttlMs,
      pollIntervalMs: settings.pollIntervalMs ?? this.settings.pollIntervalMs,
      owner: this.store.instanceId,
      principal,
      tool: entry.name,
    };
    const stored = this.store.create(task);
    const execution = new TaskExecution(task.taskId, this, stored);
    call.task = execution;
    // Longer than a timer can wait (about 24.8 days): the periodic reconcile finds it gone.
    const expiry =
      ttlMs === null || ttlMs > MAX_TIMER_MS
        ? undefined
        : setTimeout(() => this.stop(task.taskId, TaskMessages.expired), ttlMs).unref();
    this.running.set(task.taskId, { call, execution, expiry });
    const created = stored.then(
      () => ({ resultType: 'task', ...taskWireFields(task) }) as Result,
      (error: unknown) => {
        // Not stored: the task does not exist, so its handler must not go on.
        this.stop(task.taskId, 'the task could not be stored', error);
        throw error;
      },
    );
    return { execution, created };
  }

  /**
   * Records how the handler ended, unless the task already ended (cancelled, failed). Waits
   * for the task's record first: a handler may end before the store has it.
   */
  private follow(taskId: string, created: Promise<unknown>, running: Promise<CallToolResult>): void {
    created.then(
      () => this.record(taskId, running),
      // Not stored: nothing to record (`open` stopped the handler); its outcome is dropped.
      () => running.catch(() => undefined),
    );
  }

  private record(taskId: string, running: Promise<CallToolResult>): void {
    running
      .then(
        (result) => {
          const bytes = Buffer.byteLength(JSON.stringify(result));
          if (bytes > this.settings.maxResultBytes) {
            const error = {
              code: -32603,
              message: TaskMessages.tooLarge(bytes, this.settings.maxResultBytes),
            };
            return this.finish(taskId, { status: 'failed', statusMessage: error.message, error });
          }
          return this.finish(taskId, { status: 'completed', result: result as Record<string, unknown> });
        },
        (error: unknown) => {
          const wire = toWireError(error, this.logger, `Task ${taskId}`).toJsonRpcError() as McpTaskError;
          return this.finish(taskId, { status: 'failed', statusMessage: wire.message, error: wire });
        },
      )
      .catch((error: unknown) => {
        this.logger.warn(`Task ${taskId}: could not record its end: ${messageOf(error)}`);
      });
  }

  private async finish(
    taskId: string,
    end: Pick<StoredTask, 'status'> & Partial<Pick<StoredTask, 'statusMessage' | 'result' | 'error'>>,
  ): Promise<void> {
    this.stop(taskId, end.status === 'completed' ? undefined : (end.statusMessage ?? end.status));
    await this.store.update(taskId, (task) =>
      isTerminalTaskStatus(task.status)
        ? undefined
        : {
            ...withoutInput(task),
            ...end,
            ...(end.statusMessage === undefined && task.statusMessage !== undefined
              ? { statusMessage: task.statusMessage }
              : {}),
            lastUpdatedAt: new Date().toISOString(),
          },
    );
  }

  private async checkLimits(principal: string): Promise<void> {
    const { maxActivePerInstance, maxActivePerPrincipal } = this.settings;
    if (this.running.size >= maxActivePerInstance) {
      throw new McpWireError('at-capacity', TaskMessages.perInstance(maxActivePerInstance));
    }
    if ((await this.store.countActive(principal)) >= maxActivePerPrincipal) {
      throw new McpWireError('at-capacity', TaskMessages.perPrincipal(maxActivePerPrincipal));
    }
  }

  // ---- what running handlers report (TaskExecutionHost) -------------------------------------

  async publishQuestion(execution: TaskExecution, key: string, request: EmbeddedInputRequest): Promise<void> {
    const local = this.running.get(execution.taskId);
    if (local !== undefined) assertClientCanAnswer(request, local.call.clientCapabilities);
    const stored = await this.store.update(execution.taskId, (task) =>
      isTerminalTaskStatus(task.status)
        ? undefined
        : {
            ...task,
            status: 'input_required',
            inputRequests: { ...task.inputRequests, [key]: { ...request } },
            issuedKeys: [...(task.issuedKeys ?? []), key],
            lastUpdatedAt: new Date().toISOString(),
          },
    );
    // An answer may have arrived between the question and its publication (another instance).
    if (stored?.answers !== undefined) await this.takeAnswers(execution.taskId);
  }

  async publishStatus(execution: TaskExecution, message: string): Promise<void> {
    await this.store.update(execution.taskId, (task) =>
      isTerminalTaskStatus(task.status) || task.statusMessage === message
        ? undefined
        : { ...task, statusMessage: message, lastUpdatedAt: new Date().toISOString() },
    );
  }

  // ---- tasks/get, tasks/update, tasks/cancel ---------------------------------------------------

  /**
   * The task as the caller may see it: unknown, expired and other principals' tasks are all
   * "not found" (-32602; spec: errors, and "Auth binding"), so existence never leaks. A task
   * whose owner instance is gone is failed here, by whichever instance reads it first.
   */
  async read(call: RequestCall, taskId: string): Promise<StoredTask> {
    const task = await this.store.get(taskId);
    if (task === undefined || task.principal !== this.bindingOf(call)) {
      throw new McpWireError('invalid-params', TaskMessages.notFound);
    }
    if (
      isTerminalTaskStatus(task.status) ||
      task.owner === this.store.instanceId ||
      (await this.store.isInstanceAlive(task.owner))
    ) {
      return task;
    }
    const error = { code: -32603, message: TaskMessages.instanceLost };
    const failed = await this.store.update(taskId, (current) =>
      isTerminalTaskStatus(current.status) || current.owner !== task.owner
        ? undefined
        : {
            ...withoutInput(current),
            status: 'failed',
            statusMessage: error.message,
            error,
            lastUpdatedAt: new Date().toISOString(),
          },
    );
    return failed ?? task;
  }

  /**
   * Records answers to outstanding questions (unknown, answered and malformed ones are ignored,
   * spec "Task Update Requests"), visible to the next `tasks/get` at once, and tells the owner.
   */
  async answer(call: RequestCall, taskId: string, responses: Record<string, unknown>): Promise<void> {
    const task = await this.read(call, taskId);
    if (isTerminalTaskStatus(task.status)) return;
    let accepted = false;
    const stored = await this.store.update(taskId, (current) => {
      accepted = false;
      if (isTerminalTaskStatus(current.status) || current.inputRequests === undefined) return undefined;
      const remaining = { ...current.inputRequests };
      const answers = { ...current.answers };
      for (const [key, value] of Object.entries(responses)) {
        const question = remaining[key];
        if (question === undefined || !isAnswerTo(question.method, value)) continue;
        delete remaining[key];
        answers[key] = value;
        accepted = true;
      }
      if (!accepted) return undefined;
      const open = Object.keys(remaining).length > 0;
      const { inputRequests: _asked, ...rest } = current;
      return {
        ...rest,
        status: open ? 'input_required' : 'working',
        ...(open && { inputRequests: remaining }),
        answers,
        lastUpdatedAt: new Date().toISOString(),
      };
    });
    if (accepted && stored !== undefined) await this.store.notifyOwner(stored.owner, taskId);
  }

  /** Cancels a task that has not ended (an ended one is left as it is: the ack is the same). */
  async cancel(call: RequestCall, taskId: string): Promise<void> {
    const task = await this.read(call, taskId);
    if (isTerminalTaskStatus(task.status)) return;
    let cancelled = false;
    const stored = await this.store.update(taskId, (current) => {
      cancelled = !isTerminalTaskStatus(current.status);
      return cancelled
        ? {
            ...withoutInput(current),
            status: 'cancelled',
            statusMessage: TaskMessages.cancelled,
            lastUpdatedAt: new Date().toISOString(),
          }
        : undefined;
    });
    if (cancelled && stored !== undefined) await this.store.notifyOwner(stored.owner, taskId);
  }

  // ---- status notifications ------------------------------------------------------------------

  /** The ids among `taskIds` that the caller may read (others are left out of the acknowledgement). */
  async readable(call: RequestCall, taskIds: readonly string[]): Promise<StoredTask[]> {
    const tasks: StoredTask[] = [];
    for (const taskId of new Set(taskIds)) {
      try {
        tasks.push(await this.read(call, taskId));
      } catch (error) {
        if (!(error instanceof McpWireError)) throw error;
      }
    }
    return tasks;
  }

  /** Calls `listener` with each of `taskIds` now and on each change (see `TaskStatusWatch`). */
  watch(taskIds: readonly string[], listener: (task: StoredTask) => void): () => void {
    return this.statusWatch.watch(taskIds, listener);
  }

  // ---- the owner's side of answers and cancellations ------------------------------------------

  /**
   * Forgets a task this instance runs: its questions are closed and, with a `reason`, its
   * handler's signal aborts with it (a completed handler has nothing left to abort).
   */
  private stop(taskId: string, reason: string | undefined, cause?: unknown): void {
    const local = this.running.get(taskId);
    if (local === undefined) return;
    this.running.delete(taskId);
    clearTimeout(local.expiry);
    local.execution.end(cause ?? new McpCancelledError(reason ?? `Task ${taskId} ended`));
    if (reason !== undefined) local.call.abort(reason);
  }

  private reconcile(): void {
    for (const taskId of this.running.keys()) this.onOwnerNotified(taskId);
  }

  private onOwnerNotified(taskId: string): void {
    if (!this.running.has(taskId)) return;
    this.takeAnswers(taskId).catch((error: unknown) => {
      this.logger.warn(`Task ${taskId}: could not take its answers: ${messageOf(error)}`);
    });
  }

  /** Hands delivered answers to the waiting handler, or stops it when the task was cancelled. */
  private async takeAnswers(taskId: string): Promise<void> {
    const local = this.running.get(taskId);
    if (local === undefined) return;
    let taken: Record<string, unknown> = {};
    const stored = await this.store.update(taskId, (task) => {
      taken = {};
      if (task.answers === undefined) return undefined;
      const left = { ...task.answers };
      for (const key of Object.keys(left)) {
        if (local.execution.waitingOn.has(key)) {
          taken[key] = left[key];
          delete left[key];
        }
      }
      if (Object.keys(taken).length === 0) return undefined;
      const { answers: _all, ...rest } = task;
      return Object.keys(left).length > 0 ? { ...rest, answers: left } : rest;
    });
    if (stored === undefined || isTerminalTaskStatus(stored.status)) {
      // Ended elsewhere (cancelled, failed) or gone (expired): the handler stops.
      this.stop(
        taskId,
        stored === undefined ? TaskMessages.expired : (stored.statusMessage ?? TaskMessages.cancelled),
      );
      return;
    }
    for (const [key, value] of Object.entries(taken)) local.execution.answer(key, value);
  }

  private bindingOf(call: RequestCall): string {
    const key = this.principalKey(call.extra?.principal);
    return key === undefined ? 'anonymous' : `principal:${key}`;
  }
}

/** 128 bits from the CSPRNG: task ids are bearer-like and must not be guessable (spec, security). */
function newTaskId(): string {
  return randomBytes(16).toString('base64url');
}

function startBody(body: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return body();
  } catch (error) {
    return Promise.reject(error);
  }
}

function withoutInput(task: StoredTask): StoredTask {
  const { inputRequests: _asked, answers: _answered, ...rest } = task;
  return rest;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
