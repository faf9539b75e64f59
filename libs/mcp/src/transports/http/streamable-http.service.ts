import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { EventStore, JSONRPCMessage, JSONRPCRequest } from '@modelcontextprotocol/server';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { McpAuthAdmission, type AuthAdmission } from '../../auth/mcp-auth.admission.js';
import { whenExpired } from '../../auth/token-expiry.js';
import {
  type McpHttpRequest,
  platformRequestOf,
  setRequestPrincipal,
} from '../../platforms/http-exchange.js';
import { McpWireError } from '../../errors/wire-errors.js';
import { MCP_EVENT_STORE, MCP_RESOLVED_OPTIONS, MCP_SHARED_STATE } from '../../mcp.constants.js';
import type { ResolvedMcpOptions } from '../../mcp.options.js';
import { McpMetricsService } from '../../observability/mcp-metrics.service.js';
import { duplicateRequestId } from '../../protocol/json-rpc-messages.js';
import type { McpConnectOptions, McpConnection } from '../../protocol/mcp-connection.interface.js';
import { McpProtocolService } from '../../protocol/mcp-protocol.service.js';
import { LEGACY_PROTOCOL_VERSIONS, MODERN_PROTOCOL_VERSIONS } from '../../protocol/protocol-versions.js';
import { HostOriginPolicy } from '../../security/host-origin.policy.js';
import type { McpSessionState, McpStoredSession } from '../../state/session-store.js';
import type { McpSharedState } from '../../state/shared-state.interface.js';
import { McpPollingService } from '../polling/mcp-polling.service.js';
import { type PrincipalKey, principalKeyOf, sameOwner, UNKEYABLE } from '../polling/polling-principal.js';
import type { McpMessageExtra } from '../transport.interface.js';
import type { HttpMeters } from './http-meters.js';
import { type Acceptance, acceptanceOf, headerValue, isJsonContentType } from './http-negotiation.js';
import {
  answerUnreadableBody,
  SESSION_ID_HEADER,
  writeAccepted,
  writeError,
  writeRefusal,
  writeWireError,
} from './http-responses.js';
import { LegacySession } from './legacy-session.js';
import { ModernRequestTransport } from './modern-request.transport.js';
import { classifyPost, type HeaderParamsLookup } from './post-classification.js';
import { PostExchange } from './post-exchange.js';
import { readJsonBody } from './request-body.reader.js';
import { replayInto } from './resumable-stream.js';
import { SessionFleet } from './session-fleet.js';
import { SessionRegistry } from './session-registry.js';
import { SseWriter } from './sse-writer.js';

const MODERN_CONNECTION: McpConnectOptions = {
  transport: 'streamable-http',
  era: 'modern',
  canSendRequests: false,
};
const LEGACY_CONNECTION: McpConnectOptions = {
  transport: 'streamable-http',
  era: 'legacy',
  canSendRequests: true,
};
const ALLOW = { allow: 'GET, POST, DELETE' };
/** Seconds a client refused for capacity or shutdown should wait. */
const RETRY_AFTER = { 'retry-after': '5' };
/** Priming events (empty data) are understood by clients from this revision on. */
const PRIMING_SINCE = '2025-11-25';

type HttpRequest = McpHttpRequest;

/**
 * The Streamable HTTP binding on the MCP route, both eras: stateless 2026-07-28 POSTs (one
 * protocol connection each) and 2025-11-25 sessions (one connection per `Mcp-Session-Id`,
 * a GET stream, DELETE, resumable SSE). It works on Node's request and response directly.
 */
@Injectable()
export class StreamableHttpService {
  private readonly logger = new Logger('McpHttp');
  private readonly sessions: SessionRegistry;
  /** Set when the shared state serves sessions to every instance (see `SessionFleet`). */
  private readonly fleet: SessionFleet | undefined;
  /** Fleet: replicas being restored from the store, so concurrent requests restore one. */
  private readonly restoring = new Map<string, Promise<LegacySession | undefined>>();
  private readonly modernConnections = new Set<McpConnection>();
  private closing = false;
  private readonly http: ResolvedMcpOptions['http'];
  private readonly maxBytes: number;
  private readonly meters: HttpMeters;
  private readonly principalKey: (user: unknown) => string | undefined;
  /** What every response stream of this route is written with. */
  private readonly streamSettings: {
    readonly streamAfterMs: number;
    readonly keepAliveMs: number;
    readonly maxBufferedBytes: number;
    readonly meters: HttpMeters;
  };

  constructor(
    private readonly engine: McpProtocolService,
    @Inject(MCP_RESOLVED_OPTIONS) options: ResolvedMcpOptions,
    @Inject(MCP_EVENT_STORE) private readonly store: EventStore,
    private readonly hostOrigin: HostOriginPolicy,
    private readonly polling: McpPollingService,
    metrics: McpMetricsService,
    private readonly auth: McpAuthAdmission,
    @Optional() @Inject(MCP_SHARED_STATE) state?: McpSharedState | null,
  ) {
    this.meters = { http: metrics.meter('streamable-http'), sse: metrics.meter('sse') };
    this.http = options.http;
    this.streamSettings = {
      streamAfterMs: this.http.streamAfterMs,
      keepAliveMs: this.http.sseKeepAliveMs,
      maxBufferedBytes: this.http.sseMaxBufferedBytes,
      meters: this.meters,
    };
    this.maxBytes = options.limits.maxMessageBytes;
    this.principalKey = options.requestState.principalKey;
    this.sessions = new SessionRegistry(
      this.http.maxSessions,
      this.http.sessionIdleTimeoutMs,
      (session) => void this.endSession(session, 0),
    );
    if (state?.sessions !== undefined && this.http.sessions) {
      this.fleet = new SessionFleet(
        state.sessions,
        { maxSessions: this.http.maxSessions, idleTimeoutMs: this.http.sessionIdleTimeoutMs },
        {
          find: (id) => this.sessions.get(id),
          drop: (session) => void this.endSession(session, 0),
          all: () => this.sessions.all(),
        },
        this.logger,
      );
    }
  }

  /** The catalog's answer, read per call: tools may be added or removed at runtime. */
  private readonly headerParamsOf: HeaderParamsLookup = (tool) =>
    this.engine.catalog.getTool(tool)?.headerParams;

  /** Open 2025-era sessions (for metrics and tests). */
  get sessionCount(): number {
    return this.sessions.size;
  }

  // ---- POST ---------------------------------------------------------------------------------

  async handlePost(req: HttpRequest, res: ServerResponse): Promise<void> {
    // The polling extension (`Mcp-Transport: polling`) shares the route: one header read here.
    if (McpPollingService.isPollingRequest(req)) return this.polling.handle(req, res);
    const admitted = this.admit(req, res);
    if (!(admitted instanceof Promise ? await admitted : admitted)) return;
    if (!isJsonContentType(req.headers['content-type'])) {
      req.resume();
      return writeError(
        res,
        'unsupported-media-type',
        'Unsupported Media Type: Content-Type must be application/json',
      );
    }
    const acceptance = acceptanceOf(req.headers);
    if (!acceptance.json && !acceptance.sse) {
      req.resume();
      return writeError(
        res,
        'not-acceptable',
        'Not Acceptable: Accept must include application/json or text/event-stream',
      );
    }
    const pending = readJsonBody(req, this.maxBytes);
    const body = pending instanceof Promise ? await pending : pending;
    if (body.kind !== 'parsed') return answerUnreadableBody(res, body, this.maxBytes);
    this.meters.http.messageIn();
    const sessionId = headerValue(req.headers, SESSION_ID_HEADER);
    const route = classifyPost(body.value, req.headers, sessionId !== undefined, this.headerParamsOf);
    switch (route.kind) {
      case 'reject':
        return writeWireError(res, route.error, route.id);
      case 'modern-notification':
        return writeAccepted(res);
      case 'modern-request':
        if (!this.permits(req, res, route.message)) return;
        return this.serveModern(req, res, route.message, acceptance);
      case 'initialize':
        return this.initializeSession(req, res, route.message, acceptance);
      case 'session': {
        const found = this.sessionOf(req, res, sessionId);
        const session = found instanceof Promise ? await found : found;
        if (session === undefined) return;
        if (!route.isRequest) {
          session.deliver(route.message, this.extraOf(req));
          return writeAccepted(res);
        }
        if (!this.permits(req, res, route.message as JSONRPCRequest)) return;
        return this.serveInSession(req, res, session, route.message as JSONRPCRequest, acceptance, undefined);
      }
    }
  }

  private async serveModern(
    req: HttpRequest,
    res: ServerResponse,
    message: JSONRPCRequest,
    acceptance: Acceptance,
  ): Promise<void> {
    const listen = message.method === 'subscriptions/listen';
    if (listen && !acceptance.sse) {
      return writeError(
        res,
        'not-acceptable',
        'Not Acceptable: subscriptions/listen answers with text/event-stream',
        message.id,
      );
    }
    const exchange = new PostExchange(res, {
      ...this.streamSettings,
      acceptance,
      // A listen is a stream by nature: it acknowledges first, then carries notifications.
      responseMode: listen ? 'sse' : this.http.responseMode,
      era: 'modern',
    });
    const transport = new ModernRequestTransport(exchange, message.id);
    const connection = await this.engine.connect(transport, MODERN_CONNECTION);
    this.modernConnections.add(connection);
    // A listen outlives its request: it ends when the token that opened it expires (the client
    // listens again with a fresh one). Other requests, admitted with a valid token, run to their end.
    const cancelExpiry = listen
      ? whenExpired(this.auth.expiryOf(req.user), () => void transport.close())
      : undefined;
    res.once('close', () => {
      cancelExpiry?.();
      this.modernConnections.delete(connection);
      // The client went away before its answer: cancel the handler (and end a listen).
      if (!exchange.isAnswered) void transport.close();
    });
    transport.deliver(message, this.extraOf(req));
  }

  private async initializeSession(
    req: HttpRequest,
    res: ServerResponse,
    message: JSONRPCRequest,
    acceptance: Acceptance,
  ): Promise<void> {
    if (!this.http.sessions) {
      return writeError(
        res,
        'unsupported-protocol-version',
        `Unsupported protocol version: this server serves ${MODERN_PROTOCOL_VERSIONS.join(', ')} only`,
        message.id,
        { supported: [...MODERN_PROTOCOL_VERSIONS] },
      );
    }
    const sessionId = randomUUID();
    let atCapacity = this.sessions.atCapacity;
    if (this.fleet !== undefined) {
      try {
        atCapacity = !(await this.fleet.reserve(sessionId));
      } catch (error) {
        return writeError(res, 'at-capacity', errorText(error), message.id, undefined, RETRY_AFTER);
      }
    }
    if (atCapacity) {
      this.meters.http.refused('capacity');
      return writeError(
        res,
        'at-capacity',
        'Service Unavailable: too many sessions',
        message.id,
        undefined,
        RETRY_AFTER,
      );
    }
    const owner = this.auth.enabled ? this.ownerKeyOf(req) : undefined;
    const session = await this.openSession(sessionId, undefined, owner);
    this.serveInSession(req, res, session, message, acceptance, (answer) => {
      // A failed handshake leaves no session behind (and was never counted as one).
      if ('error' in answer) void this.endSession(session, 0, true);
      else session.eraTracker.observe(session.connection);
    });
  }

  /**
   * A session's transport and protocol connection (restored from the store on a fleet).
   * `owner`: who opened it, with `auth` on (a restored session takes the stored one).
   */
  private async openSession(
    sessionId: string,
    stored: McpStoredSession | undefined,
    owner?: PrincipalKey,
  ): Promise<LegacySession> {
    const session = new LegacySession(sessionId, this.store, this.logger, this.meters.http, this.fleet);
    session.owner = owner;
    if (stored?.state?.owner !== undefined) session.owner = stored.state.owner ?? UNKEYABLE;
    const fleet = this.fleet;
    if (fleet === undefined) {
      session.connection = await this.engine.connect(session, LEGACY_CONNECTION);
    } else {
      session.revision = stored?.revision;
      session.connection = await this.engine.connect(session, {
        ...LEGACY_CONNECTION,
        shared: {
          ...(stored?.state !== undefined && { restore: stored.state }),
          onChange: (state: McpSessionState) => session.saveState(state),
          requestIdPrefix: `${fleet.instanceId}.`,
        },
      });
      if (stored !== undefined) session.eraTracker.observe(session.connection);
    }
    this.sessions.add(session);
    return session;
  }

  private serveInSession(
    req: HttpRequest,
    res: ServerResponse,
    session: LegacySession,
    message: JSONRPCRequest,
    acceptance: Acceptance,
    onAnswer: ((answer: JSONRPCMessage) => void) | undefined,
  ): void {
    if (session.isAnswering(message.id)) {
      // The POST still answering this id owns its routing; this one is refused on its own response.
      return writeWireError(res, duplicateRequestId(message.id), message.id);
    }
    const pollMs = this.http.ssePollingIntervalMs;
    const exchange = new PostExchange(res, {
      ...this.streamSettings,
      acceptance,
      responseMode: this.http.responseMode,
      era: 'legacy',
      sessionId: session.sessionId,
      onAnswer,
      openResumable: (writer) => {
        const stream = session.openStream(writer, message.id);
        if (this.primes(session)) void stream.prime(pollMs);
        return stream;
      },
    });
    session.begin(message.id, exchange);
    if (pollMs !== undefined && acceptance.sse) {
      // SSE polling: a request still running after `pollMs` gets its stream ended after
      // the priming event's `retry`; the client resumes with Last-Event-ID (GET).
      const timer = setTimeout(() => {
        if (exchange.isAnswered || !this.primes(session)) return;
        void exchange.startStreaming()?.detach();
      }, pollMs);
      timer.unref();
      res.once('close', () => clearTimeout(timer));
    }
    session.deliver(message, this.extraOf(req));
  }

  // ---- GET: the session's stream, or the resumption of one ---------------------------------------

  async handleGet(req: HttpRequest, res: ServerResponse): Promise<void> {
    if (McpPollingService.isPollingRequest(req)) return this.polling.handle(req, res);
    const admitted = this.admit(req, res);
    if (!(admitted instanceof Promise ? await admitted : admitted)) return;
    if (!acceptanceOf(req.headers).sse) {
      return writeError(res, 'not-acceptable', 'Not Acceptable: Accept must include text/event-stream');
    }
    if (!this.http.sessions) return writeNoSessions(res);
    const found = this.sessionOf(req, res, headerValue(req.headers, SESSION_ID_HEADER));
    const session = found instanceof Promise ? await found : found;
    if (session === undefined) return;
    session.lastActivity = Date.now();
    const lastEventId = headerValue(req.headers, 'last-event-id');
    if (lastEventId === undefined) {
      if (session.standalone.attached) {
        return writeError(res, 'stream-conflict', 'Conflict: this session already has a GET stream open');
      }
      const writer = new SseWriter(res, { ...this.streamSettings, sessionId: session.sessionId });
      this.detachAtExpiry(req, res, session.standalone);
      session.takeGet();
      await session.standalone.attach(writer);
      // An event at once, not only headers: a client can tell that events really get through
      // the proxies on the way (a buffering one passes headers and withholds the body).
      if (this.primes(session)) await session.standalone.prime(undefined);
      return;
    }
    let streamId: string | undefined;
    try {
      streamId = await this.store.getStreamIdForEventId?.(lastEventId);
    } catch {
      streamId = undefined;
    }
    if (streamId === undefined || !session.owns(streamId)) {
      return writeError(res, 'invalid-request', 'Bad Request: unknown Last-Event-ID');
    }
    const stream = session.streamFor(streamId);
    if (stream?.attached) {
      return writeError(res, 'stream-conflict', 'Conflict: this stream is already being received');
    }
    const writer = new SseWriter(res, { ...this.streamSettings, sessionId: session.sessionId });
    if (stream !== undefined) {
      if (stream === session.standalone) {
        this.detachAtExpiry(req, res, stream);
        session.takeGet();
      }
      await stream.resume(writer, lastEventId);
      return;
    }
    if (this.fleet !== undefined) {
      // A stream another instance writes: followed from the shared event store.
      try {
        if (await this.fleet.resume(session, streamId, lastEventId, writer)) return;
      } catch (error) {
        this.logger.warn(`Resumption of ${lastEventId} failed: ${errorText(error)}`);
        writer.end();
        return;
      }
    }
    // The POST this stream belonged to was answered: replay what is left, then end.
    try {
      await replayInto(this.store, writer, lastEventId);
    } catch (error) {
      this.logger.warn(
        `Replay of ${lastEventId} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    writer.end();
  }

  // ---- DELETE: the client ends its session -------------------------------------------------------

  async handleDelete(req: HttpRequest, res: ServerResponse): Promise<void> {
    if (McpPollingService.isPollingRequest(req)) return this.polling.handle(req, res);
    const admitted = this.admit(req, res);
    if (!(admitted instanceof Promise ? await admitted : admitted)) return;
    if (!this.http.sessions) return writeNoSessions(res);
    const found = this.sessionOf(req, res, headerValue(req.headers, SESSION_ID_HEADER));
    const session = found instanceof Promise ? await found : found;
    if (session === undefined) return;
    if (this.fleet !== undefined) {
      try {
        await this.fleet.end(session.sessionId);
      } catch (error) {
        return writeError(res, 'at-capacity', errorText(error), null, undefined, RETRY_AFTER);
      }
    }
    await this.endSession(session, 0);
    res.writeHead(200, { 'content-length': 0 });
    res.end();
  }

  /**
   * Last resort for an unexpected failure while serving: the details go to the log, the
   * client gets a generic -32603 (or its stream ends), and no exception reaches Nest.
   */
  fail(res: ServerResponse, error: unknown): void {
    this.logger.error('Streamable HTTP request failed', error instanceof Error ? error.stack : String(error));
    if (!res.headersSent) writeError(res, 'internal-error', 'Internal error');
    else if (!res.writableEnded) res.end();
  }

  handleOther(req: HttpRequest, res: ServerResponse): void {
    req.resume();
    writeError(res, 'method-not-allowed', `Method Not Allowed: ${req.method ?? ''}`, null, undefined, ALLOW);
  }

  // ---- shared checks -------------------------------------------------------------------------------

  /**
   * Shutdown, Host and Origin gates, then the bearer token (`auth`), for every method. A
   * promise only while a token not seen before is verified.
   */
  private admit(req: HttpRequest, res: ServerResponse): boolean | Promise<boolean> {
    if (this.closing) {
      req.resume();
      this.meters.http.refused('shutting-down');
      writeError(
        res,
        'at-capacity',
        'Service Unavailable: the server is shutting down',
        null,
        undefined,
        RETRY_AFTER,
      );
      return false;
    }
    const refused = this.hostOrigin.check(req);
    if (refused !== undefined) {
      req.resume();
      this.meters.http.refused(refused.reason);
      writeError(res, refused.kind, refused.message);
      return false;
    }
    const admission = this.auth.admit(req);
    return admission instanceof Promise
      ? admission.then((settled) => this.authorized(req, res, settled))
      : this.authorized(req, res, admission);
  }

  private authorized(req: HttpRequest, res: ServerResponse, admission: AuthAdmission): boolean {
    if (!admission.admitted) {
      req.resume();
      this.meters.http.refused(admission.challenge.reason);
      writeRefusal(res, admission.challenge);
      return false;
    }
    if (admission.principal !== undefined) setRequestPrincipal(req, admission.principal);
    return true;
  }

  /** The 403 step-up challenge when the token lacks the scopes of what the request names. */
  private permits(req: HttpRequest, res: ServerResponse, message: JSONRPCRequest): boolean {
    const challenge = this.auth.scopeChallenge(req.user, message.method, message.params);
    if (challenge === undefined) return true;
    this.meters.http.refused(challenge.reason);
    writeRefusal(res, challenge, message.id);
    return false;
  }

  /**
   * A session's GET stream carries events for as long as the client keeps it, so it ends
   * (detached, the stream kept) when the token it was opened with expires: the client resumes
   * with `Last-Event-ID` and a fresh token, losing nothing.
   */
  private detachAtExpiry(req: HttpRequest, res: ServerResponse, stream: { detach(): Promise<void> }): void {
    const cancel = whenExpired(this.auth.expiryOf(req.user), () => void stream.detach());
    res.once('close', cancel);
  }

  /**
   * The session named by the request (400 when missing, 404 when unknown) after the version
   * check. On a fleet the session store decides (asynchronously): it refreshes the session's
   * expiry, and a session this instance has not served yet is restored from it.
   */
  private sessionOf(
    req: HttpRequest,
    res: ServerResponse,
    sessionId: string | undefined,
  ): LegacySession | undefined | Promise<LegacySession | undefined> {
    if (sessionId === undefined) {
      writeError(res, 'session-required', 'Bad Request: Mcp-Session-Id header is required');
      return undefined;
    }
    if (this.fleet !== undefined) return this.sharedSessionOf(req, res, sessionId);
    const session = this.sessions.get(sessionId);
    if (session === undefined || session.closed || !this.mayUse(req, session)) {
      writeError(res, 'session-not-found', 'Session not found');
      return undefined;
    }
    return this.checkedVersion(req, res, session);
  }

  private async sharedSessionOf(
    req: HttpRequest,
    res: ServerResponse,
    sessionId: string,
  ): Promise<LegacySession | undefined> {
    let session: LegacySession | undefined;
    try {
      session = await this.replicaOf(sessionId);
    } catch (error) {
      writeError(res, 'at-capacity', errorText(error), null, undefined, RETRY_AFTER);
      return undefined;
    }
    if (session === undefined || session.closed || !this.mayUse(req, session)) {
      writeError(res, 'session-not-found', 'Session not found');
      return undefined;
    }
    return this.checkedVersion(req, res, session);
  }

  /** With `auth` on, only the principal that opened a session may use it (others get 404). */
  private mayUse(req: HttpRequest, session: LegacySession): boolean {
    return session.owner === undefined || sameOwner(session.owner, this.ownerKeyOf(req));
  }

  /** This instance's replica of a fleet session, refreshed or restored from the store. */
  private async replicaOf(sessionId: string): Promise<LegacySession | undefined> {
    const pending = this.restoring.get(sessionId);
    if (pending !== undefined) return pending;
    const local = this.sessions.get(sessionId);
    // A session whose handshake is under way here is not in the store yet.
    if (local !== undefined && local.revision === undefined && !local.closed) return local;
    const restore = (async () => {
      const stored = await this.fleet!.touch(sessionId, local?.revision);
      if (stored === undefined) {
        if (local !== undefined) void this.endSession(local, 0);
        return undefined;
      }
      if (local !== undefined && !local.closed) {
        if (stored.state !== undefined) local.restore(stored);
        return local;
      }
      if (stored.state === undefined) return undefined;
      return this.openSession(sessionId, stored);
    })();
    if (local !== undefined) return restore;
    this.restoring.set(sessionId, restore);
    try {
      return await restore;
    } finally {
      this.restoring.delete(sessionId);
    }
  }

  private checkedVersion(
    req: HttpRequest,
    res: ServerResponse,
    session: LegacySession,
  ): LegacySession | undefined {
    const version = headerValue(req.headers, 'mcp-protocol-version');
    if (version !== undefined && !LEGACY_PROTOCOL_VERSIONS.includes(version)) {
      writeWireError(
        res,
        new McpWireError(
          'unsupported-protocol-version',
          `Bad Request: Unsupported protocol version ${version} (supported versions: ${LEGACY_PROTOCOL_VERSIONS.join(', ')})`,
          { supported: [...LEGACY_PROTOCOL_VERSIONS], requested: version },
        ),
      );
      return undefined;
    }
    return session;
  }

  private ownerKeyOf(req: HttpRequest): PrincipalKey {
    return principalKeyOf(this.principalKey, req.user);
  }

  private primes(session: LegacySession): boolean {
    return session.protocolVersion !== undefined && session.protocolVersion >= PRIMING_SINCE;
  }

  private extraOf(req: HttpRequest): McpMessageExtra {
    return { rawRequest: platformRequestOf(req), principal: req.user };
  }

  /** Ends this instance's session (a replica on a fleet; `everywhere` deletes it from the store too). */
  private async endSession(session: LegacySession, graceMs: number, everywhere = false): Promise<void> {
    this.sessions.remove(session);
    if (everywhere && this.fleet !== undefined) {
      await this.fleet.end(session.sessionId).catch((error: unknown) => {
        this.logger.warn(`Session ${session.sessionId} could not be deleted: ${errorText(error)}`);
      });
    }
    if (session.connection !== undefined) await session.connection.shutdown(graceMs);
    else await session.close();
  }

  // ---- shutdown ----------------------------------------------------------------------------------------

  /**
   * Before the HTTP server closes (it would wait for open SSE streams forever; called by
   * `TransportsShutdown`): refuse new requests, cancel in-flight ones and give them the grace
   * period to answer, end listens with their closing result, then close every stream and session.
   */
  async shutdown(): Promise<void> {
    this.closing = true;
    this.fleet?.stop();
    const grace = this.http.shutdownGraceMs;
    await Promise.all([
      ...[...this.modernConnections].map((connection) => connection.shutdown(grace)),
      ...this.sessions.all().map((session) => this.endSession(session, grace)),
    ]);
    this.modernConnections.clear();
  }
}

/** GET and DELETE concern 2025 sessions: with sessions off, POST is the only method here. */
function writeNoSessions(res: ServerResponse): void {
  writeError(res, 'method-not-allowed', 'Method Not Allowed: this server has no sessions', null, undefined, {
    allow: 'POST',
  });
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
