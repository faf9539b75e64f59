import type { EventStore, Icon, ServerEventBus } from '@modelcontextprotocol/server';
import type { CanActivate, Type } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { type McpAuthOptions, type ResolvedMcpAuthOptions, resolveAuthOptions } from './auth/auth.options.js';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_MCP_ROUTE } from './mcp.constants.js';
import { assertRequestStateKeys } from './protocol/request-state.codec.js';
import type { McpSharedState } from './state/shared-state.interface.js';
import type { McpTasksOptions } from './tasks/tasks.options.js';
import { defaultPrincipalKey } from './transports/polling/polling-principal.js';

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
  /**
   * `auto` mode, for a POST whose client accepts both JSON and SSE: how long (ms) the answer
   * may take and still come as one JSON body. Past it the response turns into an SSE stream
   * with keep-alive comments (`sseKeepAliveMs`), so proxies with an idle timeout do not cut a
   * long tool call. A client that accepts only SSE gets the stream's headers at once; one that
   * accepts only JSON gets nothing until its answer. 0 streams at once; `Infinity` waits for
   * the answer. Default 100.
   */
  streamAfterMs?: number;
  /** SSE comment keep-alive interval; 0 disables. Default 15,000 ms. */
  sseKeepAliveMs?: number;
  /**
   * Bytes an SSE stream may have written but not yet delivered to a client that stopped
   * reading; past it the stream is cut (`mcp_connections_dropped_total{reason="slow-consumer"}`).
   * A 2025 client resumes with `Last-Event-ID` and loses nothing; a 2026 client's request or
   * listen ends as if it had disconnected. Default 4 MiB, as for WebSocket.
   */
  sseMaxBufferedBytes?: number;
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
  /**
   * Serve MCP POSTs straight from the HTTP server when nothing on the Express/Nest route could
   * act on them (see `PostFastPath`). Turn it off when something the detection cannot see must
   * run for them (a raw `request` listener, a debugger). Default true.
   */
  fastPath?: boolean;
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

/** Connection management of the WebSocket transport (see the README's capacity section). */
export interface McpWebSocketOptions {
  /** Open sockets per instance; further upgrades get HTTP 503 with `Retry-After`. Default 10,000. */
  maxConnections?: number;
  /** Largest accepted frame in bytes; a larger one closes the socket with 1009. Default `limits.maxMessageBytes`. */
  maxFrameBytes?: number;
  /** Ping interval; a peer that has not answered the previous ping is terminated. 0 disables. Default 30,000 ms. */
  heartbeatIntervalMs?: number;
  /** A socket with no inbound frame and nothing in flight for this long is closed (1000). 0 disables. Default 10 minutes. */
  idleTimeoutMs?: number;
  /**
   * Bytes a socket may have queued each way: outgoing bytes a consumer has not read, and
   * incoming requests waiting past `maxInFlightPerConnection`; past either the socket is
   * closed (1008). Default 4 MiB.
   */
  maxBufferedBytes?: number;
  /**
   * Requests served at once per socket; further requests wait their turn (answers to server
   * requests and cancellations never wait, so a handler waiting on its client cannot
   * deadlock). Default 64.
   */
  maxInFlightPerConnection?: number;
  /** On application shutdown, in-flight requests are cancelled and get this long to answer before 1001. Default 5,000 ms. */
  shutdownGraceMs?: number;
}

/**
 * The polling transport extension (`Mcp-Transport: polling`, see the README): long-polled
 * channels for networks where no streaming response survives.
 */
export interface McpPollingOptions {
  /** Open channels per instance; further opens get HTTP 503 with `Retry-After`. Default 10,000. */
  maxChannels?: number;
  /**
   * Longest a poll waits for a message before answering with an empty batch; a client may ask
   * for less when it opens the channel. Keep it under your proxies' idle timeouts. Default 20,000 ms.
   */
  pollTimeoutMs?: number;
  /** A channel nobody polled or posted to for this long is closed, its requests cancelled. Default 60,000 ms. */
  channelIdleTimeoutMs?: number;
  /** Unacknowledged outgoing bytes a channel may hold; a client that stopped polling is closed past it. Default 4 MiB. */
  maxQueuedBytes?: number;
  /** Most events in one poll answer. Default 100. */
  maxBatchEvents?: number;
  /** Most bytes of events in one poll answer (a single larger message still goes alone). Default 1 MiB. */
  maxBatchBytes?: number;
  /**
   * On application shutdown, in-flight requests are cancelled and get this long to answer; what
   * they queued is handed to a waiting (or the next) poll, which is told the channel closed. Default 5,000 ms.
   */
  shutdownGraceMs?: number;
  /**
   * Requests a channel may have in flight; a further request is answered 503 with `Retry-After`
   * without reaching the handlers (responses and notifications are always taken). Default 64.
   */
  maxInFlightPerChannel?: number;
  /**
   * The stable identity of a principal (`req.user`, as the route guards set it). A channel is
   * bound to its opener's key: sends, polls and closes carrying another key (or none, when the
   * opener had one) get 404, as for an unknown channel. `undefined` means anonymous. Default:
   * `user.id ?? user.sub ?? user.name`, else the user's JSON form (see the README).
   */
  principalKey?: (user: unknown) => string | undefined;
}

/**
 * Signing of the 2026-07-28 `requestState` (multi round-trip requests: a tool that asks for
 * input gets the client's answer on a retried request, which may land on another instance).
 */
export interface McpRequestStateOptions {
  /**
   * HMAC-SHA256 keys shared by every instance, newest first: the first signs, every listed key
   * verifies (rotate by putting a new key first, drop the old one after `ttlSeconds`). Each at
   * least 32 bytes (strings count UTF-8 bytes); shorter fails start-up. Default: a random key
   * per process, which only works when one process serves every round of a flow; required
   * with a shared `state`.
   */
  keys?: Array<string | Uint8Array>;
  /** How long a minted `requestState` is accepted, in seconds. Default 600. */
  ttlSeconds?: number;
  /**
   * The stable identity of a principal (`req.user`): a state minted for one key is refused
   * (-32602) for another, anonymous included. Default: `polling.principalKey`'s default
   * (`user.id ?? user.sub ?? user.name`, else the user's JSON form).
   */
  principalKey?: (user: unknown) => string | undefined;
}

/** Options of `McpModule.forRoot()` / the factory of `forRootAsync()`. */
export interface McpModuleOptions {
  serverInfo: McpServerInfo;
  /** Instructions for the model, returned in `initialize` / `server/discover`. */
  instructions?: string;
  transports?: McpTransportsOptions;
  http?: McpHttpOptions;
  websocket?: McpWebSocketOptions;
  polling?: McpPollingOptions;
  security?: McpSecurityOptions;
  limits?: {
    /** Largest accepted request body or message, in bytes; larger gets 413 before parsing. Default 4 MiB. */
    maxMessageBytes?: number;
  };
  /** Page size of list results (`tools/list`, ...). Default 100. */
  pageSize?: number;
  /**
   * Store of SSE events for `Last-Event-ID` resumption. Default: the shared state's (Redis
   * Streams with `redisState()`), else in memory.
   */
  eventStore?: EventStore;
  /**
   * Bus of change events for `subscriptions/listen` and list-changed notifications. Default:
   * the shared state's bus, else in memory.
   */
  changeBus?: ServerEventBus;
  /** See `McpRequestStateOptions`. */
  requestState?: McpRequestStateOptions;
  /**
   * State shared by several instances behind one load balancer, e.g. `redisState({ url })`
   * from `nest-mcp/redis` (see the README's "Running several instances"): with its `sessions`,
   * 2025-era sessions and polling channels are served by any instance. Requires
   * `requestState.keys`. Default: none (one instance, sessions and channels in memory).
   */
  state?: McpSharedState;
  /**
   * OAuth 2.1 resource-server mode (MCP authorization, RFC 9728 / 8707 / 6750): bearer tokens
   * required on every network transport, per-primitive scopes, the metadata document. See
   * `McpAuthOptions` and the README's authorization section. Default: off.
   */
  auth?: McpAuthOptions;
  /** The tasks extension: store, defaults and limits (see `McpTasksOptions`). */
  tasks?: McpTasksOptions;
}

/** Options known when the module is declared (routes cannot wait for an async factory). */
export interface McpModuleExtras {
  /** The route of the HTTP controller and WebSocket gateway. Default `/mcp`. */
  route?: string;
  /** Register the module globally. Default true. */
  isGlobal?: boolean;
  /**
   * Guards of the MCP route: they run for every HTTP request to it (as controller guards) and
   * at every WebSocket upgrade (with the upgrade request as the HTTP request), so one class
   * protects both. What a guard sets on `req.user` is the principal handlers see.
   */
  guards?: Array<Type<CanActivate> | CanActivate>;
  /** Metrics and their opt-in Prometheus route. */
  metrics?: McpMetricsOptions;
}

/** Metrics options; known at declaration because the route is. */
export interface McpMetricsOptions {
  /** Serve the Prometheus text format on this route (e.g. `/metrics`). Off by default. */
  route?: string;
  /** Register the metrics here (e.g. prom-client's global `register`). Default: a registry of their own. */
  registry?: Registry;
  /** Also collect prom-client's default process metrics into that registry. Default false. */
  defaultMetrics?: boolean;
}

export type ResolvedMcpOptions = Readonly<{
  serverInfo: McpServerInfo;
  instructions?: string;
  route: string;
  transports: Required<McpTransportsOptions>;
  http: Required<Omit<McpHttpOptions, 'ssePollingIntervalMs'>> & { ssePollingIntervalMs?: number };
  websocket: Required<McpWebSocketOptions>;
  polling: Required<McpPollingOptions>;
  /** Guards of the route (HTTP requests and WebSocket upgrades), from the declaration. */
  guards: ReadonlyArray<Type<CanActivate> | CanActivate>;
  metrics: Readonly<{ route?: string; registry?: Registry; defaultMetrics: boolean }>;
  security: { allowedOrigins: string[] | '*'; allowedHosts: string[] | '*' | 'localhost-when-bound-locally' };
  limits: { maxMessageBytes: number };
  pageSize: number;
  requestState: Readonly<Required<McpRequestStateOptions>>;
  auth: ResolvedMcpAuthOptions | undefined;
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
      streamAfterMs: options.http?.streamAfterMs ?? 100,
      sseKeepAliveMs: options.http?.sseKeepAliveMs ?? 15_000,
      sseMaxBufferedBytes: options.http?.sseMaxBufferedBytes ?? 4 * 1024 * 1024,
      ssePollingIntervalMs: options.http?.ssePollingIntervalMs,
      shutdownGraceMs: options.http?.shutdownGraceMs ?? 5_000,
      fastPath: options.http?.fastPath ?? true,
    },
    websocket: resolveWebSocketOptions(options),
    polling: resolvePollingOptions(options.polling),
    guards: extras.guards ?? [],
    metrics: {
      route: extras.metrics?.route === undefined ? undefined : normalizeRoute(extras.metrics.route),
      registry: extras.metrics?.registry,
      defaultMetrics: extras.metrics?.defaultMetrics ?? false,
    },
    security: {
      allowedOrigins: options.security?.allowedOrigins ?? [],
      allowedHosts: options.security?.allowedHosts ?? 'localhost-when-bound-locally',
    },
    limits: { maxMessageBytes: options.limits?.maxMessageBytes ?? DEFAULT_MAX_BODY_BYTES },
    pageSize: options.pageSize ?? 100,
    requestState: resolveRequestStateOptions(options),
    auth: resolveAuthOptions(options.auth),
  };
}

function resolveRequestStateOptions(options: McpModuleOptions): Required<McpRequestStateOptions> {
  const keys = options.requestState?.keys ?? [];
  if (keys.length === 0 && options.state !== undefined) {
    throw new Error(
      `McpModule: with shared state (${options.state.name}), set requestState.keys in the module options ` +
        '(e.g. requestState: { keys: [process.env.MCP_REQUEST_STATE_KEY] }, a random string of at least ' +
        '32 bytes, the same on every instance; redisStateOptions() takes them as requestStateKeys, and ' +
        'an empty string does not count): each instance must verify the input-required rounds the others signed',
    );
  }
  assertRequestStateKeys(keys, 'McpModule: requestState.keys');
  return {
    keys,
    ttlSeconds: options.requestState?.ttlSeconds ?? 600,
    principalKey: options.requestState?.principalKey ?? options.polling?.principalKey ?? defaultPrincipalKey,
  };
}

function resolveWebSocketOptions(options: McpModuleOptions): Required<McpWebSocketOptions> {
  const ws = options.websocket;
  return {
    maxConnections: ws?.maxConnections ?? 10_000,
    maxFrameBytes: ws?.maxFrameBytes ?? options.limits?.maxMessageBytes ?? DEFAULT_MAX_BODY_BYTES,
    heartbeatIntervalMs: ws?.heartbeatIntervalMs ?? 30_000,
    idleTimeoutMs: ws?.idleTimeoutMs ?? 10 * 60_000,
    maxBufferedBytes: ws?.maxBufferedBytes ?? 4 * 1024 * 1024,
    maxInFlightPerConnection: ws?.maxInFlightPerConnection ?? 64,
    shutdownGraceMs: ws?.shutdownGraceMs ?? 5_000,
  };
}

function resolvePollingOptions(polling: McpPollingOptions | undefined): Required<McpPollingOptions> {
  return {
    maxChannels: polling?.maxChannels ?? 10_000,
    pollTimeoutMs: polling?.pollTimeoutMs ?? 20_000,
    channelIdleTimeoutMs: polling?.channelIdleTimeoutMs ?? 60_000,
    maxQueuedBytes: polling?.maxQueuedBytes ?? 4 * 1024 * 1024,
    maxBatchEvents: polling?.maxBatchEvents ?? 100,
    maxBatchBytes: polling?.maxBatchBytes ?? 1024 * 1024,
    shutdownGraceMs: polling?.shutdownGraceMs ?? 5_000,
    maxInFlightPerChannel: polling?.maxInFlightPerChannel ?? 64,
    principalKey: polling?.principalKey ?? defaultPrincipalKey,
  };
}

function normalizeRoute(route: string): string {
  const trimmed = route.replace(/\/+$/, '');
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}
