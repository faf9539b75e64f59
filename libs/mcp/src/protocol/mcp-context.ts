import type {
  ClientCapabilities,
  CreateMessageRequestParams,
  CreateMessageResult,
  ElicitRequestFormParams,
  ElicitResult,
  Implementation,
  ListRootsResult,
  LoggingLevel,
  RequestId,
} from '@modelcontextprotocol/server';

/** Options of the context calls that ask the client for input. */
export interface McpInputRequestOptions {
  /**
   * 2026-era only: the key of this question under `inputRequests` / `inputResponses`.
   * Default: the call's kind and position in the handler run (`elicitation-0`, ...), which
   * is stable because the handler is re-run from the top on each round.
   */
  key?: string;
}

/** `modern` is revision 2026-07-28 (stateless, per-request `_meta`); `legacy` is 2025-11-25 and older (sessions). */
export type McpProtocolEra = 'modern' | 'legacy';

/**
 * What a tool, resource or prompt handler receives through `@McpCtx()`.
 * It is the same object whichever transport delivered the request: handlers never learn
 * the transport, only what the protocol gives them.
 */
export interface McpContext {
  readonly method: string;
  readonly requestId: RequestId;
  readonly era: McpProtocolEra;
  readonly protocolVersion: string;
  /** Session id of a 2025-era session; undefined in the stateless era. */
  readonly sessionId?: string;
  readonly clientInfo?: Implementation;
  readonly clientCapabilities?: ClientCapabilities;
  /** Aborted when the client cancels the request or its connection goes away. */
  readonly signal: AbortSignal;
  /** The authenticated principal the transport attached (e.g. `req.user`), if any. */
  readonly principal?: unknown;
  /** The raw request object where the transport has one (Express request, upgrade request). */
  readonly rawRequest?: unknown;
  /** Transport name, for logging only: handlers must not branch on it. */
  readonly transport: string;
  /**
   * Set while the call runs as a task (`@McpTool({ task })`, tasks extension): the task's id.
   * The call was answered with the task handle; `reportProgress` then sets the task's
   * `statusMessage`, `elicit` / `createMessage` / `listRoots` wait for the client's
   * `tasks/update`, `log` sends nothing, and `signal` aborts on `tasks/cancel`.
   */
  readonly taskId?: string;

  /** Sends `notifications/progress` when the client asked for progress; a no-op otherwise. */
  reportProgress(progress: number, total?: number, message?: string): Promise<void>;
  /** Sends `notifications/message` if `level` passes the client's log level. */
  log(level: LoggingLevel, data: unknown, logger?: string): Promise<void>;
  /**
   * Asks the user for input. 2025-era: an `elicitation/create` server request.
   * 2026-era: the request ends with an input-required result and is retried by the client
   * with the answer; the handler runs again and this call then returns the answer.
   */
  elicit(params: ElicitRequestFormParams, options?: McpInputRequestOptions): Promise<ElicitResult>;
  /** Asks the client's model for a completion (`sampling/createMessage`), era-appropriately. */
  createMessage(
    params: CreateMessageRequestParams,
    options?: McpInputRequestOptions,
  ): Promise<CreateMessageResult>;
  /** Asks the client for its roots (`roots/list`), era-appropriately. */
  listRoots(options?: McpInputRequestOptions): Promise<ListRootsResult>;
}
