import type { EmbeddedInputRequest, InputRequestMethod } from '../protocol/input-required.js';

const KEY_PREFIX: Readonly<Record<InputRequestMethod, string>> = {
  'elicitation/create': 'elicitation',
  'sampling/createMessage': 'sampling',
  'roots/list': 'roots',
};

interface PendingQuestion {
  readonly method: InputRequestMethod;
  resolve(answer: unknown): void;
  reject(error: unknown): void;
}

/** What a running task needs from the runner that owns it. */
export interface TaskExecutionHost {
  /** Records the question under the task's `inputRequests` (status `input_required`). */
  publishQuestion(execution: TaskExecution, key: string, request: EmbeddedInputRequest): Promise<void>;
  /** Sets the task's `statusMessage`. */
  publishStatus(execution: TaskExecution, message: string): Promise<void>;
}

/**
 * The handler side of one task running on this instance: the questions it waits on
 * (answered through `tasks/update`, possibly on another instance) and its keys. The handler
 * reaches it through `ctx` (`RequestCall.task`): `ctx.elicit()` and friends wait here instead
 * of ending the call with `input_required`, since the call was answered with the task handle.
 */
export class TaskExecution {
  private readonly pending = new Map<string, PendingQuestion>();
  private readonly issued = new Set<string>();
  private readonly counters: Partial<Record<InputRequestMethod, number>> = {};
  private ended = false;

  constructor(
    readonly taskId: string,
    private readonly host: TaskExecutionHost,
    /** Settles once the task is stored; questions and status wait for it. */
    private readonly stored: Promise<void>,
  ) {}

  /**
   * Asks the client through the task: resolves with its answer from `tasks/update`. Keys are
   * unique over the task's life (spec): a key given twice is refused.
   */
  async ask<T>(request: EmbeddedInputRequest, key: string | undefined): Promise<T> {
    if (this.ended) throw new Error(`Task ${this.taskId} has ended; it cannot ask for input`);
    const resolvedKey = key ?? this.nextKey(request.method);
    if (this.issued.has(resolvedKey)) {
      throw new Error(
        `Input key ${resolvedKey} was already used in task ${this.taskId}; keys are unique per task`,
      );
    }
    this.issued.add(resolvedKey);
    const answer = new Promise<T>((resolve, reject) => {
      this.pending.set(resolvedKey, {
        method: request.method,
        resolve: resolve as (answer: unknown) => void,
        reject,
      });
    });
    try {
      await this.stored;
      await this.host.publishQuestion(this, resolvedKey, request);
    } catch (error) {
      // Never asked: nothing will answer or end this wait.
      this.pending.delete(resolvedKey);
      throw error;
    }
    return answer;
  }

  async reportStatus(message: string): Promise<void> {
    if (this.ended) return;
    await this.stored;
    await this.host.publishStatus(this, message);
  }

  /** The keys this execution waits on. */
  get waitingOn(): ReadonlyMap<string, { readonly method: InputRequestMethod }> {
    return this.pending;
  }

  /** Hands an answer to the question waiting under `key`; false when none waits there. */
  answer(key: string, value: unknown): boolean {
    const pending = this.pending.get(key);
    if (pending === undefined) return false;
    this.pending.delete(key);
    pending.resolve(value);
    return true;
  }

  /** The task is over (finished, cancelled, failed): questions still open reject with `reason`. */
  end(reason: unknown): void {
    this.ended = true;
    for (const pending of this.pending.values()) pending.reject(reason);
    this.pending.clear();
  }

  private nextKey(method: InputRequestMethod): string {
    let key: string;
    do {
      const count = this.counters[method] ?? 0;
      this.counters[method] = count + 1;
      key = `${KEY_PREFIX[method]}-${count}`;
    } while (this.issued.has(key));
    return key;
  }
}
