import type {
  ClientCapabilities,
  Implementation,
  JSONRPCErrorResponse,
  JSONRPCMessage,
  JSONRPCRequest,
  JSONRPCResultResponse,
  LoggingLevel,
  RequestId,
  Result,
  ServerEvent,
} from '@modelcontextprotocol/server';
import { McpClientRequestError } from '../errors/client-request-error.js';
import { toWireError } from '../errors/failure-mapping.js';
import { McpWireError } from '../errors/wire-errors.js';
import type { McpMessageExtra, McpTransport } from '../transports/transport.interface.js';
import { classifyJsonRpc, duplicateRequestId, errorResponse, isRequestId } from './json-rpc-messages.js';
import type { McpSessionState } from '../state/session-store.js';
import type {
  McpConnection,
  McpConnectOptions,
  McpSharedSessionOptions,
} from './mcp-connection.interface.js';
import type { McpProtocolEra } from './mcp-context.js';
import { ANSWERED_LATER } from './methods/method-handler.js';
import { ListenSubscriptions } from './listen-subscriptions.js';
import type { ProtocolEngine } from './protocol-engine.js';
import { RequestCall } from './request-call.js';
import { readRequestMeta } from './request-meta.js';
import {
  hasEnvelopeClaim,
  readRequestEnvelope,
  type RequestEnvelope,
  unsupportedModernVersion,
} from './request-envelope.js';
import { encodeModernResult } from './result-encoding.js';

interface PendingOutbound {
  readonly method: string;
  resolve(result: Result): void;
  reject(error: Error): void;
}

/** Why in-flight handlers were aborted, as their `signal.reason`. */
const CONNECTION_CLOSED = 'connection closed';
const SHUTTING_DOWN = 'server shutting down';

/**
 * One transport bound to the protocol engine. It holds what the 2025 era keeps per
 * session (negotiated version, client identity, log level, resource subscriptions) and
 * what both eras keep per connection (requests in flight, outbound requests awaiting an
 * answer, open `subscriptions/listen` requests). Construction is cheap: Streamable HTTP
 * builds one per stateless POST, so every map is created on first use.
 */
export class ProtocolConnection implements McpConnection {
  era: McpProtocolEra | undefined;
  protocolVersion: string | undefined;
  clientInfo: Implementation | undefined;
  clientCapabilities: ClientCapabilities | undefined;
  /** 2025 era: the level set by `logging/setLevel`. */
  logLevel: LoggingLevel | undefined;
  readonly transportName: string;
  readonly canSendRequests: boolean;
  onRequestSettled: ((id: RequestId) => void) | undefined;

  private inFlightCalls: Map<RequestId, RequestCall> | undefined;
  private pending: Map<RequestId, PendingOutbound> | undefined;
  private resourceSubscriptions: Set<string> | undefined;
  private listens: ListenSubscriptions | undefined;
  private unsubscribeBus: (() => void) | undefined;
  private nextOutboundId = 0;
  private readonly shared: McpSharedSessionOptions | undefined;
  private closed = false;
  private drained: (() => void) | undefined;

  constructor(
    readonly engine: ProtocolEngine,
    readonly transport: McpTransport,
    options: McpConnectOptions,
  ) {
    this.era = options.era;
    this.transportName = options.transport;
    this.canSendRequests = options.canSendRequests ?? true;
    this.shared = options.shared;
    if (options.shared?.restore !== undefined) {
      this.restoreSession(options.shared.restore);
    }
    transport.onmessage = (message, extra) =>
      this.handleMessage(message, extra as McpMessageExtra | undefined);
    transport.onclose = () => this.onTransportClosed();
  }

  get inFlight(): number {
    return this.inFlightCalls?.size ?? 0;
  }

  get sessionId(): string | undefined {
    return this.transport.sessionId;
  }

  /** 2025-11-25 added elicitation modes; older clients get the request without `mode`. */
  get speaksElicitationModes(): boolean {
    return this.protocolVersion !== undefined && this.protocolVersion >= '2025-11-25';
  }

  /** Entry point for every inbound value, parsed or not yet checked to be JSON-RPC. */
  handleMessage(value: unknown, extra?: McpMessageExtra): void {
    if (this.closed) return;
    const classified = classifyJsonRpc(value);
    switch (classified.kind) {
      case 'request':
        this.onRequest(classified.message, extra);
        return;
      case 'notification':
        this.onNotification(classified.message.method, classified.message.params);
        return;
      case 'response':
        this.onResponse(classified.message);
        return;
      case 'invalid':
        this.sendMessage(errorResponse(classified.id, classified.error), classified.id ?? undefined);
        return;
    }
  }

  // ---- inbound requests -------------------------------------------------------------

  private onRequest(request: JSONRPCRequest, extra: McpMessageExtra | undefined): void {
    const params = (request.params ?? {}) as Record<string, unknown>;
    let envelope: RequestEnvelope | undefined;
    let era: McpProtocolEra;
    try {
      era = this.era ?? this.decideEra(request.method, params);
      if (era === 'modern' && request.method === 'initialize' && !hasEnvelopeClaim(params)) {
        // The 2026 era is confirmed here: a late handshake must not fall back (spec).
        const requested = params['protocolVersion'];
        throw unsupportedModernVersion(typeof requested === 'string' ? requested : undefined);
      }
      const handler = this.engine.methodFor(era, request.method);
      if (handler === undefined) throw new McpWireError('method-not-found', 'Method not found');
      if (this.inFlightCalls?.has(request.id) || this.listens?.has(request.id)) {
        throw duplicateRequestId(request.id);
      }
      const progressToken = readRequestMeta(params);
      // Method existence outranks the envelope check, as in the SDK.
      if (era === 'modern') envelope = readRequestEnvelope(params);
      if (this.era === undefined && !(era === 'modern' && request.method === 'server/discover')) {
        // A `server/discover` probe leaves the era open: the client may still fall back to `initialize`.
        this.era = era;
      }
      if (era === 'modern' && this.protocolVersion === undefined)
        this.protocolVersion = envelope!.protocolVersion;
      const call = new RequestCall(
        request.id,
        request.method,
        params,
        era,
        this,
        envelope,
        extra,
        progressToken,
      );
      void this.run(call, handler);
    } catch (error) {
      this.sendMessage(
        errorResponse(request.id, toWireError(error, this.engine.logger, request.method)),
        request.id,
      );
    }
  }

  /** The era of a connection's opening message (stdio, WebSocket: the transport did not say). */
  private decideEra(method: string, params: Record<string, unknown>): McpProtocolEra {
    if (!hasEnvelopeClaim(params)) return 'legacy';
    // A claim is validated, never ignored: a malformed or unsupported envelope is answered
    // as such and the era stays open.
    readRequestEnvelope(params);
    return 'modern';
  }

  private async run(call: RequestCall, handler: (call: RequestCall) => unknown): Promise<void> {
    const calls = (this.inFlightCalls ??= new Map());
    calls.set(call.id, call);
    const observer = this.engine.requestObserver;
    const startedAt = observer === undefined ? 0 : performance.now();
    let answer: JSONRPCMessage | undefined;
    try {
      // Scopes are checked here for every transport; stdio is exempt, as the MCP authorization
      // chapter has stdio servers take their credentials from the environment instead.
      if (this.engine.scopePolicy !== undefined && this.transportName !== 'stdio') {
        this.engine.scopePolicy.enforce(call.extra?.principal, call.method, call.params);
      }
      const result = (await handler(call)) as Result | typeof ANSWERED_LATER;
      if (result !== ANSWERED_LATER) {
        answer = {
          jsonrpc: '2.0',
          id: call.id,
          result:
            call.era === 'modern' ? encodeModernResult(call.method, result, this.engine.serverInfo) : result,
        };
      }
    } catch (error) {
      answer = errorResponse(call.id, toWireError(error, this.engine.logger, call.method));
    } finally {
      call.settle();
      calls.delete(call.id);
    }
    // A request the client cancelled gets no answer (spec: cancellation).
    if (answer !== undefined && !call.cancelledByClient) await this.sendMessage(answer, call.id);
    if (observer !== undefined) {
      const outcome = call.cancelledByClient
        ? 'cancelled'
        : answer !== undefined && 'error' in answer
          ? 'error'
          : 'ok';
      observer.requestFinished(
        this.transportName,
        call.method,
        outcome,
        (performance.now() - startedAt) / 1000,
      );
    }
    this.onRequestSettled?.(call.id);
    if (calls.size === 0) this.drained?.();
  }

  // ---- inbound notifications and responses ---------------------------------------------

  private onNotification(method: string, params: Record<string, unknown> | undefined): void {
    if (method === 'notifications/cancelled') {
      const requestId = params?.['requestId'];
      if (!isRequestId(requestId)) return;
      if (this.listens?.cancel(requestId)) return;
      const call = this.inFlightCalls?.get(requestId);
      if (call !== undefined) {
        call.cancelledByClient = true;
        const reason = params?.['reason'];
        call.abort(typeof reason === 'string' ? reason : 'cancelled by the client');
      }
      return;
    }
    if (method === 'notifications/initialized' && this.era === undefined) this.era = 'legacy';
    // notifications/initialized, roots/list_changed, progress: nothing to do.
  }

  private onResponse(response: JSONRPCResultResponse | JSONRPCErrorResponse): void {
    const id = response.id as RequestId;
    const pending = this.pending?.get(id);
    if (pending === undefined) {
      this.engine.logger.warn(`Response for unknown request id ${String(id)} ignored`);
      return;
    }
    this.pending!.delete(id);
    if ('result' in response) {
      pending.resolve(response.result);
    } else {
      const { code, message, data } = response.error;
      pending.reject(
        new McpClientRequestError(`Client answered ${pending.method} with an error: ${message}`, code, data),
      );
    }
  }

  // ---- outbound ---------------------------------------------------------------------------

  /** Sends a notification; `relatedRequestId` ties it to the request it belongs to. */
  notify(
    method: string,
    params: Record<string, unknown> | undefined,
    relatedRequestId?: RequestId,
  ): Promise<void> {
    const message = (
      params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params }
    ) as JSONRPCMessage;
    return this.sendMessage(message, relatedRequestId);
  }

  /**
   * A 2025-era server-to-client request. Settles with the client's result, or rejects when
   * the client answers with an error, does not answer within `timeoutMs`, or the request
   * it serves is aborted (the client is then told with `notifications/cancelled`).
   */
  request(
    method: string,
    params: Record<string, unknown> | undefined,
    relatedRequestId: RequestId,
    signal: AbortSignal,
    timeoutMs: number,
  ): Promise<Result> {
    if (!this.canSendRequests || this.closed) {
      return Promise.reject(
        new McpClientRequestError(
          `${method} cannot reach the client on this connection (no channel for server requests)`,
        ),
      );
    }
    if (signal.aborted) return Promise.reject(signal.reason);
    const id: RequestId =
      this.shared === undefined
        ? this.nextOutboundId++
        : `${this.shared.requestIdPrefix}${this.nextOutboundId++}`;
    const pendingMap = (this.pending ??= new Map<RequestId, PendingOutbound>());
    return new Promise<Result>((resolve, reject) => {
      const settle = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        pendingMap.delete(id);
      };
      const onAbort = () => {
        settle();
        void this.notify(
          'notifications/cancelled',
          { requestId: id, reason: String(signal.reason) },
          relatedRequestId,
        );
        reject(signal.reason);
      };
      const timer = setTimeout(() => {
        settle();
        void this.notify('notifications/cancelled', { requestId: id, reason: 'timed out' }, relatedRequestId);
        reject(new McpClientRequestError(`The client did not answer ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      signal.addEventListener('abort', onAbort, { once: true });
      pendingMap.set(id, {
        method,
        resolve: (result: Result) => {
          settle();
          resolve(result);
        },
        reject: (error: Error) => {
          settle();
          reject(error);
        },
      });
      const message = {
        jsonrpc: '2.0',
        id,
        method,
        ...(params !== undefined && { params }),
      } as JSONRPCMessage;
      this.sendMessage(message, relatedRequestId).catch((error: unknown) => {
        settle();
        reject(error);
      });
    });
  }

  sendMessage(message: JSONRPCMessage, relatedRequestId?: RequestId): Promise<void> {
    if (this.closed) return Promise.resolve();
    return this.transport
      .send(message, relatedRequestId === undefined ? undefined : { relatedRequestId })
      .catch((error: unknown) =>
        this.engine.logger.warn(`Send failed: ${error instanceof Error ? error.message : String(error)}`),
      );
  }

  // ---- 2025-era session state ----------------------------------------------------------------

  /** Records the handshake and starts forwarding change events as unsolicited notifications. */
  completeHandshake(
    protocolVersion: string,
    clientInfo: Implementation,
    clientCapabilities: ClientCapabilities,
    changed = true,
  ): void {
    this.era = 'legacy';
    this.protocolVersion = protocolVersion;
    this.clientInfo = clientInfo;
    this.clientCapabilities = clientCapabilities;
    this.transport.setProtocolVersion?.(protocolVersion);
    this.unsubscribeBus ??= this.engine.bus.subscribe((event) => this.forwardLegacyEvent(event));
    if (changed) this.sessionChanged();
  }

  setLogLevel(level: LoggingLevel): void {
    this.logLevel = level;
    this.sessionChanged();
  }

  subscribeResource(uri: string): void {
    (this.resourceSubscriptions ??= new Set()).add(uri);
    this.sessionChanged();
  }

  unsubscribeResource(uri: string): void {
    this.resourceSubscriptions?.delete(uri);
    this.sessionChanged();
  }

  /** The 2025-era session's state, once its handshake is done. */
  get sessionState(): McpSessionState | undefined {
    if (this.protocolVersion === undefined || this.clientInfo === undefined) return undefined;
    return {
      protocolVersion: this.protocolVersion,
      clientInfo: this.clientInfo,
      clientCapabilities: this.clientCapabilities ?? {},
      ...(this.logLevel !== undefined && { logLevel: this.logLevel }),
      subscriptions: [...(this.resourceSubscriptions ?? [])],
    };
  }

  restoreSession(state: McpSessionState): void {
    // A replica that started before the handshake (done on another instance) completes it now.
    if (this.clientInfo === undefined) {
      this.completeHandshake(state.protocolVersion, state.clientInfo, state.clientCapabilities, false);
    }
    this.logLevel = state.logLevel;
    this.resourceSubscriptions = new Set(state.subscriptions);
  }

  private sessionChanged(): void {
    const state = this.shared === undefined ? undefined : this.sessionState;
    if (state !== undefined) this.shared!.onChange(state);
  }

  private forwardLegacyEvent(event: ServerEvent): void {
    switch (event.kind) {
      case 'tools_list_changed':
        void this.notify('notifications/tools/list_changed', event.params);
        return;
      case 'prompts_list_changed':
        void this.notify('notifications/prompts/list_changed', event.params);
        return;
      case 'resources_list_changed':
        void this.notify('notifications/resources/list_changed', event.params);
        return;
      case 'resource_updated':
        if (this.resourceSubscriptions?.has(event.uri)) {
          void this.notify('notifications/resources/updated', { ...event.params, uri: event.uri });
        }
        return;
    }
  }

  // ---- 2026-era listen ------------------------------------------------------------------------

  get listenSubscriptions(): ListenSubscriptions {
    return (this.listens ??= new ListenSubscriptions(this));
  }

  // ---- teardown -----------------------------------------------------------------------------------

  async shutdown(graceMs: number): Promise<void> {
    if (this.closed) return;
    await this.listens?.closeAll(true);
    const calls = this.inFlightCalls;
    if (calls !== undefined && calls.size > 0) {
      for (const call of calls.values()) call.abort(SHUTTING_DOWN);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, graceMs);
        this.drained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    await this.transport.close();
    // Transports call onclose from close(); make sure the teardown ran even if one does not.
    this.onTransportClosed();
  }

  private onTransportClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribeBus?.();
    void this.listens?.closeAll(false);
    if (this.inFlightCalls !== undefined) {
      for (const call of this.inFlightCalls.values()) call.abort(CONNECTION_CLOSED);
    }
    if (this.pending !== undefined) {
      const error = new McpClientRequestError('The connection closed before the client answered');
      // Each rejection deletes its own entry; deleting the visited entry is safe in a Map walk.
      for (const pending of this.pending.values()) pending.reject(error);
    }
  }
}
