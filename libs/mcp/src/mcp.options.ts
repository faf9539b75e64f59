import type { EventStore, Icon, ServerEventBus } from '@modelcontextprotocol/server';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_MCP_ROUTE } from './mcp.constants.js';

/** Who this server says it is, in `initialize` and `server/discover` results. */
export interface McpServerInfo {
  name: string;
  version: string;
  title?: string;
  description?: string;
  websiteUrl?: string;
  icons?: Icon[];
}

export interface McpHttpOptions {
  /**
   * Response shape for requests: `auto` answers JSON unless the handler emits a message
   * before its result (then SSE); `json` never streams; `sse` always streams. Default `auto`.
   */
  responseMode?: 'auto' | 'json' | 'sse';
  /** Serve 2025-era sessions (`initialize`, `Mcp-Session-Id`, GET stream, DELETE). Default true. */
  sessions?: boolean;
  /** A session idle for this long is ended. Default 30 minutes. */
  sessionIdleTimeoutMs?: number;
  /** Upper bound on concurrent 2025-era sessions; further `initialize` gets 503. Default 10,000. */
  maxSessions?: number;
  /** SSE comment keep-alive interval; 0 disables. Default 15,000 ms. */
  sseKeepAliveMs?: number;
  /**
   * SSE polling: when set, the server ends a POST's SSE stream after this many ms of
   * handler time and tells the client (`retry:`) to resume with `Last-Event-ID`. Off by default.
   */
  ssePollingIntervalMs?: number;
  /**
   * On application shutdown, in-flight requests are cancelled and get this long to answer
   * before their streams and sessions are closed. Default 5,000 ms.
   */
  shutdownGraceMs?: number;
}

export interface McpSecurityOptions {
  /**
   * Origins allowed to call the server (DNS-rebinding protection). Requests without an
   * `Origin` header (non-browser clients) are allowed. Default: localhost origins only.
   * `'*'` turns the check off.
   */
  allowedOrigins?: string[] | '*';
  /**
   * Host header allowlist. Default: when the server is bound to localhost, only localhost
   * host names; otherwise off. `'*'` turns the check off.
   */
  allowedHosts?: string[] | '*';
}

export interface McpTransportsOptions {
  /** Streamable HTTP controller on `route`. Default true. */
  streamableHttp?: boolean;
  /** WebSocket gateway on the same path. Default true. */
  websocket?: boolean;
  /** Polling mode on the same route (see README). Default true. */
  polling?: boolean;
}

/** Options of `McpModule.forRoot()` / the factory of `forRootAsync()`. */
export interface McpModuleOptions {
  serverInfo: McpServerInfo;
  /** Instructions for the model, returned in `initialize` / `server/discover`. */
  instructions?: string;
  transports?: McpTransportsOptions;
  http?: McpHttpOptions;
  security?: McpSecurityOptions;
  limits?: {
    /** Largest accepted request body or message, in bytes; larger gets 413 before parsing. Default 4 MiB. */
    maxMessageBytes?: number;
  };
  /** Page size of list results (`tools/list`, ...). Default 100. */
  pageSize?: number;
  /** Store of SSE events for `Last-Event-ID` resumption. Default: in memory. */
  eventStore?: EventStore;
  /** Bus of change events for `subscriptions/listen` and list-changed notifications. Default: in memory. */
  changeBus?: ServerEventBus;
}

/** Options known when the module is declared (routes cannot wait for an async factory). */
export interface McpModuleExtras {
  /** The route of the HTTP controller and WebSocket gateway. Default `/mcp`. */
  route?: string;
  /** Register the module globally. Default true. */
  isGlobal?: boolean;
}

export type ResolvedMcpOptions = Readonly<{
  serverInfo: McpServerInfo;
  instructions?: string;
  route: string;
  transports: Required<McpTransportsOptions>;
  http: Required<Omit<McpHttpOptions, 'ssePollingIntervalMs'>> & { ssePollingIntervalMs?: number };
  security: { allowedOrigins: string[] | '*'; allowedHosts: string[] | '*' | 'localhost-when-bound-locally' };
  limits: { maxMessageBytes: number };
  pageSize: number;
}>;

export function resolveMcpOptions(options: McpModuleOptions, extras: McpModuleExtras): ResolvedMcpOptions {
  return {
    serverInfo: options.serverInfo,
    instructions: options.instructions,
    route: normalizeRoute(extras.route ?? DEFAULT_MCP_ROUTE),
    transports: {
      streamableHttp: options.transports?.streamableHttp ?? true,
      websocket: options.transports?.websocket ?? true,
      polling: options.transports?.polling ?? true,
    },
    http: {
      responseMode: options.http?.responseMode ?? 'auto',
      sessions: options.http?.sessions ?? true,
      sessionIdleTimeoutMs: options.http?.sessionIdleTimeoutMs ?? 30 * 60_000,
      maxSessions: options.http?.maxSessions ?? 10_000,
      sseKeepAliveMs: options.http?.sseKeepAliveMs ?? 15_000,
      ssePollingIntervalMs: options.http?.ssePollingIntervalMs,
      shutdownGraceMs: options.http?.shutdownGraceMs ?? 5_000,
    },
    security: {
      allowedOrigins: options.security?.allowedOrigins ?? [],
      allowedHosts: options.security?.allowedHosts ?? 'localhost-when-bound-locally',
    },
    limits: { maxMessageBytes: options.limits?.maxMessageBytes ?? DEFAULT_MAX_BODY_BYTES },
    pageSize: options.pageSize ?? 100,
  };
}

function normalizeRoute(route: string): string {
  const trimmed = route.replace(/\/+$/, '');
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}
