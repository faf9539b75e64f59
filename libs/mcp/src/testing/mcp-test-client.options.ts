import type {
  ClientCapabilities,
  CreateMessageRequest,
  CreateMessageResult,
  ElicitRequest,
  ElicitResult,
  Implementation,
  LoggingLevel,
  Root,
} from '@modelcontextprotocol/client';

/** The protocol era a test client speaks: `'2026'` is 2026-07-28 (stateless), `'2025'` is 2025-11-25. */
export type McpTestEra = '2026' | '2025';

type MaybePromise<T> = T | Promise<T>;

/** Options of `McpTestClient.connect()`. Every field is optional. */
export interface McpTestClientOptions {
  /** Protocol era. Default `'2026'` (pinned to 2026-07-28, no fallback); `'2025'` runs `initialize`. */
  readonly era?: McpTestEra;
  /**
   * Who calls: what an authentication guard would have put on `req.user`. Handlers read it as
   * `ctx.principal`, guards through `McpExecutionContext.create(context).getContext().principal`,
   * exactly as over HTTP. Default: anonymous (`undefined`).
   */
  readonly principal?: unknown;
  /** What `ctx.rawRequest` holds (over HTTP, the platform request). Default `undefined`. */
  readonly rawRequest?: unknown;
  /**
   * Answers the server's elicitation (2025: `elicitation/create` requests; 2026: the same
   * questions inside `input_required` rounds). Supplying it declares the form elicitation capability.
   */
  readonly onElicit?: (params: ElicitRequest['params']) => MaybePromise<ElicitResult>;
  /** Answers sampling (`sampling/createMessage`); supplying it declares the sampling capability. */
  readonly onSample?: (params: CreateMessageRequest['params']) => MaybePromise<CreateMessageResult>;
  /** Answers `roots/list`; supplying it declares the roots capability. */
  readonly onRoots?: () => MaybePromise<Root[]>;
  /**
   * The lowest level of log messages (`ctx.log`) the server sends, collected in `logs`.
   * Default `'debug'` (all). 2025: sent with `logging/setLevel`; 2026: on every request's `_meta`.
   */
  readonly logLevel?: LoggingLevel;
  /**
   * 2026 era: open a `subscriptions/listen` stream at connect so list-changed notifications
   * arrive (2025 servers send them unasked). Default true.
   */
  readonly listen?: boolean;
  /** Per-request timeout in ms. Default 10000, below the usual test runner timeouts' multiples. */
  readonly timeoutMs?: number;
  /** Default `{ name: 'nest-mcp-testing', version: '1.0.0' }`. */
  readonly clientInfo?: Implementation;
  /** Extra client capabilities to declare, merged over those the handlers above imply. */
  readonly capabilities?: ClientCapabilities;
}
