import type {
  ClientCapabilities,
  CreateMessageRequestParams,
  CreateMessageResult,
  ElicitRequestFormParams,
  ElicitResult,
  Implementation,
  ListRootsResult,
  LoggingLevel,
  ProgressToken,
  RequestId,
} from '@modelcontextprotocol/server';
import type { TaskExecution } from '../tasks/task-execution.js';
import type { McpMessageExtra } from '../transports/transport.interface.js';
import { assertClientCanAnswer, type EmbeddedInputRequest, type InputRound } from './input-required.js';
import { passesLogLevel } from './logging-levels.js';
import type { McpContext, McpInputRequestOptions, McpProtocolEra } from './mcp-context.js';
import type { ProtocolConnection } from './protocol-connection.js';
import type { RequestEnvelope } from './request-envelope.js';
import { McpCancelledError } from '../errors/mcp-cancelled.error.js';

/** Server-to-client requests wait this long for a human (elicitation, sampling) or a client (roots). */
const HUMAN_PACED_TIMEOUT_MS = 600_000;
const CLIENT_PACED_TIMEOUT_MS = 60_000;

/** One inbound request while it is served: what the method handlers work with. */
export class RequestCall {
  /** Set by `notifications/cancelled`: the client no longer wants an answer. */
  cancelledByClient = false;
  /** The multi round-trip state of a 2026-era `tools/call`, `prompts/get` or `resources/read`. */
  round: InputRound | undefined;
  /**
   * Set when the call became a task (tasks extension): the handler runs on after the call
   * was answered with the task handle, and its questions and progress go to the task.
   */
  task: TaskExecution | undefined;
  private ctx: RequestContext | undefined;
  // Most handlers never read their signal, and an AbortController (an EventTarget) is one of
  // the dearest allocations on the request path, so it is made on first read. Until then an
  // abort is only recorded, and the signal is born aborted with the same reason.
  private controller: AbortController | undefined;
  private abortReason: unknown;
  private aborted = false;
  private settled = false;
  private detachExternal: (() => void) | undefined;

  constructor(
    readonly id: RequestId,
    readonly method: string,
    readonly params: Record<string, unknown>,
    readonly era: McpProtocolEra,
    readonly connection: ProtocolConnection,
    readonly envelope: RequestEnvelope | undefined,
    readonly extra: McpMessageExtra | undefined,
    /** `_meta.progressToken`, checked to be a string or an integer (see `readRequestMeta`). */
    readonly progressToken: ProgressToken | undefined,
  ) {}

  /** The request's abort signal: cancellation, shutdown, disconnect, or the transport's own signal. */
  get signal(): AbortSignal {
    if (this.controller !== undefined) return this.controller.signal;
    const controller = (this.controller = new AbortController());
    if (this.aborted) {
      controller.abort(this.abortReason);
      return controller.signal;
    }
    const external = this.extra?.signal;
    // After the answer the transport's signal is not listened to (it may outlive the call).
    if (external !== undefined && !this.settled) {
      if (external.aborted) {
        this.abort(external.reason);
      } else {
        const onExternalAbort = () => this.abort(external.reason);
        external.addEventListener('abort', onExternalAbort, { once: true });
        this.detachExternal = () => external.removeEventListener('abort', onExternalAbort);
      }
    }
    return controller.signal;
  }

  /** Aborts the handler's signal (now, or when it is first read). The first reason wins. */
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.abortReason = reason;
    this.controller?.abort(reason);
  }

  /**
   * Whether `error`, thrown by the handler, is this call's cancellation coming back out of it
   * (`ctx.signal.throwIfAborted()`, an aborted fetch or timer, a rejected pending question)
   * rather than a failure of its own: nothing to log then.
   */
  wasAbortedBy(error: unknown): boolean {
    if (!this.aborted) return false;
    return (
      error === this.abortReason ||
      error instanceof McpCancelledError ||
      (error instanceof Error && error.name === 'AbortError')
    );
  }

  /** The call is answered: stop listening to the transport's signal. */
  settle(): void {
    this.settled = true;
    this.detachExternal?.();
    this.detachExternal = undefined;
  }

  get engine() {
    return this.connection.engine;
  }

  get protocolVersion(): string {
    return this.envelope?.protocolVersion ?? this.connection.protocolVersion ?? '';
  }

  get clientCapabilities(): ClientCapabilities | undefined {
    return this.era === 'modern' ? this.envelope?.clientCapabilities : this.connection.clientCapabilities;
  }

  get clientInfo(): Implementation | undefined {
    return this.era === 'modern' ? this.envelope?.clientInfo : this.connection.clientInfo;
  }

  /** The handler-facing context, built on first use (list requests never need one). */
  get context(): McpContext {
    return (this.ctx ??= new RequestContext(this));
  }
}

/** `McpContext` over one request call. Handlers see only this. */
class RequestContext implements McpContext {
  readonly #call: RequestCall;

  constructor(call: RequestCall) {
    this.#call = call;
  }

  get method(): string {
    return this.#call.method;
  }
  get requestId(): RequestId {
    return this.#call.id;
  }
  get era(): McpProtocolEra {
    return this.#call.era;
  }
  get protocolVersion(): string {
    return this.#call.protocolVersion;
  }
  get sessionId(): string | undefined {
    return this.#call.era === 'legacy' ? this.#call.connection.sessionId : undefined;
  }
  get clientInfo(): Implementation | undefined {
    return this.#call.clientInfo;
  }
  get clientCapabilities(): ClientCapabilities | undefined {
    return this.#call.clientCapabilities;
  }
  get signal(): AbortSignal {
    return this.#call.signal;
  }
  get principal(): unknown {
    return this.#call.extra?.principal;
  }
  get rawRequest(): unknown {
    return this.#call.extra?.rawRequest;
  }
  get transport(): string {
    return this.#call.connection.transportName;
  }
  get taskId(): string | undefined {
    return this.#call.task?.taskId;
  }

  async reportProgress(progress: number, total?: number, message?: string): Promise<void> {
    // A task has no progress notifications (tasks extension); its statusMessage tells instead.
    const task = this.#call.task;
    if (task !== undefined) {
      await task.reportStatus(message ?? (total === undefined ? `${progress}` : `${progress}/${total}`));
      return;
    }
    const progressToken = this.#call.progressToken;
    if (progressToken === undefined) return;
    await this.#call.connection.notify(
      'notifications/progress',
      {
        progressToken,
        progress,
        ...(total !== undefined && { total }),
        ...(message !== undefined && { message }),
      },
      this.#call.id,
    );
  }

  async log(level: LoggingLevel, data: unknown, logger?: string): Promise<void> {
    // Log notifications are not delivered for tasks (tasks extension, status notifications).
    if (this.#call.task !== undefined) return;
    // 2025 era: the session level from `logging/setLevel` (none set: everything passes).
    // 2026 era: the request's own `_meta` level; none means the client wants no messages.
    const threshold =
      this.#call.era === 'modern' ? this.#call.envelope?.logLevel : this.#call.connection.logLevel;
    if (threshold === undefined ? this.#call.era === 'modern' : !passesLogLevel(level, threshold)) return;
    await this.#call.connection.notify(
      'notifications/message',
      { level, data, ...(logger !== undefined && { logger }) },
      this.#call.id,
    );
  }

  elicit(params: ElicitRequestFormParams, options?: McpInputRequestOptions): Promise<ElicitResult> {
    return this.ask<ElicitResult>(
      { method: 'elicitation/create', params: params as unknown as Record<string, unknown> },
      options,
      HUMAN_PACED_TIMEOUT_MS,
    );
  }

  createMessage(
    params: CreateMessageRequestParams,
    options?: McpInputRequestOptions,
  ): Promise<CreateMessageResult> {
    return this.ask<CreateMessageResult>(
      { method: 'sampling/createMessage', params: params as unknown as Record<string, unknown> },
      options,
      HUMAN_PACED_TIMEOUT_MS,
    );
  }

  listRoots(options?: McpInputRequestOptions): Promise<ListRootsResult> {
    return this.ask<ListRootsResult>({ method: 'roots/list' }, options, CLIENT_PACED_TIMEOUT_MS);
  }

  private ask<T>(
    request: EmbeddedInputRequest,
    options: McpInputRequestOptions | undefined,
    timeoutMs: number,
  ): Promise<T> {
    const call = this.#call;
    if (call.task !== undefined) return call.task.ask<T>(request, options?.key);
    if (call.era === 'modern') {
      if (call.round === undefined) {
        // A mistake in the handler, not in the request: logged, and the client gets -32603.
        return Promise.reject(
          new Error(
            `${request.method} can only be asked while serving tools/call, prompts/get or resources/read`,
          ),
        );
      }
      return call.round.ask<T>(request, options?.key);
    }
    try {
      assertClientCanAnswer(request, call.connection.clientCapabilities);
    } catch (error) {
      return Promise.reject(error);
    }
    const params =
      request.method === 'elicitation/create' &&
      request.params?.['mode'] === undefined &&
      call.connection.speaksElicitationModes
        ? { ...request.params, mode: 'form' }
        : request.params;
    return call.connection.request(request.method, params, call.id, call.signal, timeoutMs) as Promise<T>;
  }
}
