import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { WireErrorKind } from '../../errors/wire-errors.js';
import { MCP_RESOLVED_OPTIONS, MCP_SHARED_STATE } from '../../mcp.constants.js';
import type { ResolvedMcpOptions } from '../../mcp.options.js';
import { McpAuthAdmission } from '../../auth/mcp-auth.admission.js';
import {
  type McpHttpRequest,
  platformRequestOf,
  setRequestPrincipal,
} from '../../platforms/http-exchange.js';
import { McpMetricsService } from '../../observability/mcp-metrics.service.js';
import type { TransportMeter } from '../../observability/transport-meter.js';
import { classifyJsonRpc } from '../../protocol/json-rpc-messages.js';
import type { McpConnectOptions } from '../../protocol/mcp-connection.interface.js';
import { McpProtocolService } from '../../protocol/mcp-protocol.service.js';
import { HostOriginPolicy } from '../../security/host-origin.policy.js';
import type { McpSharedState } from '../../state/shared-state.interface.js';
import { acceptanceOf, headerValue, isJsonContentType } from '../http/http-negotiation.js';
import {
  answerUnreadableBody,
  writeAccepted,
  writeError,
  writeJson,
  writeRefusal,
  writeWireError,
} from '../http/http-responses.js';
import { readJsonBody } from '../http/request-body.reader.js';
import type { JSONRPCMessage, McpMessageExtra } from '../transport.interface.js';
import {
  CHANNEL_ID_HEADER,
  CURSOR_HEADER,
  IN_FLIGHT_RETRY_AFTER,
  NO_STORE,
  POLLING_TRANSPORT,
  RETRY_AFTER,
  TRANSPORT_HEADER,
} from './polling.constants.js';
import type { BatchLimits } from './polling-event-queue.js';
import { PollingChannelRegistry } from './polling-channel.registry.js';
import { PollingFleet } from './polling-fleet.js';
import { type PollingChannelOwner, PollingChannelTransport } from './polling-channel.transport.js';
import { type PrincipalKey, principalKeyOf, UNKEYABLE } from './polling-principal.js';

const CONNECTION: McpConnectOptions = { transport: 'polling' };
/** The open request's optional body is a tiny JSON object: a small cap keeps it that way. */
const MAX_OPEN_BODY_BYTES = 4096;
/** On shutdown, how long a channel waits at most for its client's next poll to take the last answers. */
const FINAL_POLL_LINGER_MS = 2_000;
const CURSOR = /^\d{1,15}$/;

type HttpRequest = McpHttpRequest;

/** Why a request is turned away before anything else, and under which refusal reason it is counted. */
interface Refusal {
  readonly kind: WireErrorKind;
  readonly message: string;
  readonly reason: string;
  readonly headers?: Record<string, string>;
}

/**
 * The polling transport extension's server side, on the MCP route for requests carrying
 * `Mcp-Transport: polling` (the Streamable HTTP service hands them over): POST without a
 * channel opens one, POST with `Mcp-Channel-Id` delivers one JSON-RPC message, GET long-polls
 * for the server's messages after a cursor, DELETE closes. Every answer is a complete,
 * bounded `application/json` body, so it survives proxies that refuse or buffer streams.
 * Each channel is its own protocol connection, either era, bound to the principal that
 * opened it (`req.user` as the route guards left it): anyone else gets 404 for it.
 */
@Injectable()
export class McpPollingService implements PollingChannelOwner {
  readonly meter: TransportMeter;
  readonly batch: BatchLimits;
  readonly maxQueuedBytes: number;
  private readonly logger = new Logger('McpPolling');
  private readonly settings: ResolvedMcpOptions['polling'];
  private readonly registry: PollingChannelRegistry;
  private readonly maxMessageBytes: number;
  private closing = false;
  /** Set when the shared state serves channels to every instance (see `PollingFleet`). */
  private readonly fleet: PollingFleet | undefined;

  constructor(
    private readonly engine: McpProtocolService,
    @Inject(MCP_RESOLVED_OPTIONS) private readonly options: ResolvedMcpOptions,
    private readonly hostOrigin: HostOriginPolicy,
    metrics: McpMetricsService,
    private readonly auth: McpAuthAdmission,
    @Optional() @Inject(MCP_SHARED_STATE) state?: McpSharedState | null,
  ) {
    this.settings = options.polling;
    this.meter = metrics.meter('polling');
    this.batch = { maxEvents: this.settings.maxBatchEvents, maxBytes: this.settings.maxBatchBytes };
    this.maxQueuedBytes = this.settings.maxQueuedBytes;
    this.maxMessageBytes = options.limits.maxMessageBytes;
    this.registry = new PollingChannelRegistry(
      this.settings.maxChannels,
      this.settings.channelIdleTimeoutMs,
      (channel) => {
        this.logger.debug(`Polling channel ${channel.channelId} idle: closed`);
        void this.endChannel(channel, 0, 0);
      },
    );
    const shared = state?.sessions;
    if (shared?.channels !== undefined && options.transports.polling) {
      this.fleet = new PollingFleet(
        shared.channels,
        shared.router,
        engine,
        {
          maxChannels: this.settings.maxChannels,
          idleTimeoutMs: this.settings.channelIdleTimeoutMs,
          maxInFlight: this.settings.maxInFlightPerChannel,
          maxQueuedBytes: this.maxQueuedBytes,
          batch: this.batch,
          maxMessageBytes: this.maxMessageBytes,
        },
        this.meter,
        this.logger,
      );
    }
  }

  /** Channels open now. */
  get openChannels(): number {
    return this.registry.size;
  }

  /** Whether a request asks for this transport (the one header the HTTP service reads). */
  static isPollingRequest(req: IncomingMessage): boolean {
    return req.headers[TRANSPORT_HEADER] !== undefined;
  }

  /** Serves one request that carries `Mcp-Transport`. Never throws for bad input. */
  async handle(req: HttpRequest, res: ServerResponse): Promise<void> {
    const refused = this.admit(req);
    if (refused !== undefined) {
      req.resume();
      this.meter.refused(refused.reason);
      return writeError(res, refused.kind, refused.message, null, undefined, refused.headers);
    }
    // Every polling request carries the token (a poll after it expired gets 401 and the client
    // goes on with a fresh one; the channel is bound to the principal's key, not to the token).
    const pending = this.auth.admit(req);
    const admission = pending instanceof Promise ? await pending : pending;
    if (!admission.admitted) {
      req.resume();
      this.meter.refused(admission.challenge.reason);
      return writeRefusal(res, admission.challenge);
    }
    if (admission.principal !== undefined) setRequestPrincipal(req, admission.principal);
    const channelId = headerValue(req.headers, CHANNEL_ID_HEADER);
    switch (req.method) {
      case 'POST':
        return channelId === undefined ? this.open(req, res) : this.receive(req, res, channelId);
      case 'GET':
        return this.poll(req, res, channelId);
      case 'DELETE':
        return this.close(req, res, channelId);
      default:
        req.resume();
        return writeError(
          res,
          'method-not-allowed',
          `Method Not Allowed: ${req.method ?? ''}`,
          null,
          undefined,
          {
            allow: 'GET, POST, DELETE',
          },
        );
    }
  }

  // ---- open: POST without a channel --------------------------------------------------------------

  private async open(req: HttpRequest, res: ServerResponse): Promise<void> {
    if (this.closing) return this.refuse(req, res, shuttingDown());
    if (!acceptanceOf(req.headers).json) {
      req.resume();
      return writeError(res, 'not-acceptable', 'Not Acceptable: Accept must include application/json');
    }
    // The open body is optional: zero bytes mean `{}` however they are framed (no body,
    // `Content-Length: 0`, an empty chunked body), and only a body with bytes needs a type.
    const opening = await readJsonBody(req, MAX_OPEN_BODY_BYTES);
    let requested: unknown = {};
    if (opening.kind !== 'empty') {
      if (!isJsonContentType(req.headers['content-type'])) return this.unsupportedMediaType(req, res);
      if (opening.kind !== 'parsed') return answerUnreadableBody(res, opening, MAX_OPEN_BODY_BYTES);
      requested = opening.value;
    }
    if (requested === null || typeof requested !== 'object' || Array.isArray(requested)) {
      return writeError(res, 'invalid-request', 'Bad Request: the open request body must be a JSON object');
    }
    if (this.fleet !== undefined) {
      const key = this.principalOf(req);
      if (key === UNKEYABLE) {
        this.logger.error(
          'Polling channel refused: no key for req.user (polling.principalKey threw); set polling.principalKey',
        );
        return writeError(res, 'internal-error', 'Internal error');
      }
      const timeout = this.pollTimeoutFor((requested as { pollTimeoutMs?: unknown }).pollTimeoutMs);
      return this.fleet.open(res, randomUUID(), key ?? null, timeout);
    }
    if (this.registry.atCapacity) {
      return this.refuse(req, res, {
        kind: 'at-capacity',
        message: 'Service Unavailable: too many polling channels',
        reason: 'capacity',
        headers: RETRY_AFTER,
      });
    }
    const principal = this.principalOf(req);
    if (principal === UNKEYABLE) {
      // Binding the channel to nobody would lock its opener out; to anybody, let strangers in.
      this.logger.error(
        'Polling channel refused: no key for req.user (polling.principalKey threw); set polling.principalKey',
      );
      return writeError(res, 'internal-error', 'Internal error');
    }
    const channel = new PollingChannelTransport(
      randomUUID(),
      this.pollTimeoutFor((requested as { pollTimeoutMs?: unknown }).pollTimeoutMs),
      this,
      principal,
    );
    // oxlint-disable-next-line unicorn/prefer-add-event-listener -- the SDK Transport shape has handler properties
    channel.onerror = this.onTransportError;
    this.registry.add(channel);
    this.meter.opened();
    channel.connection = await this.engine.connect(channel, CONNECTION);
    const body = JSON.stringify({
      channelId: channel.channelId,
      pollTimeoutMs: channel.pollTimeoutMs,
      channelIdleTimeoutMs: this.settings.channelIdleTimeoutMs,
      maxMessageBytes: this.maxMessageBytes,
    });
    writeJson(res, 201, body, undefined, { [CHANNEL_ID_HEADER]: channel.channelId, ...NO_STORE });
  }

  // ---- send: POST with a channel, one JSON-RPC message -------------------------------------------

  private async receive(req: HttpRequest, res: ServerResponse, channelId: string): Promise<void> {
    if (this.closing) return this.refuse(req, res, shuttingDown());
    if (!isJsonContentType(req.headers['content-type'])) return this.unsupportedMediaType(req, res);
    const principal = this.principalOf(req);
    if (this.fleet === undefined && this.registry.get(channelId, principal) === undefined) {
      return this.channelNotFound(req, res);
    }
    const pending = readJsonBody(req, this.maxMessageBytes);
    const body = pending instanceof Promise ? await pending : pending;
    if (body.kind !== 'parsed') return answerUnreadableBody(res, body, this.maxMessageBytes);
    const classified = classifyJsonRpc(body.value);
    if (classified.kind === 'invalid') return writeWireError(res, classified.error, classified.id);
    if (this.fleet !== undefined) {
      this.meter.messageIn();
      return this.fleet.receive(
        res,
        channelId,
        principal,
        classified.message as JSONRPCMessage,
        classified.kind === 'request',
        this.extraOf(req),
      );
    }
    // Looked up again: the channel may have ended while the body was read.
    const channel = this.registry.get(channelId, principal);
    if (channel === undefined || channel.isFinished) return this.channelNotFound(req, res);
    if (classified.kind === 'request') {
      const message = classified.message as {
        method: string;
        params?: Record<string, unknown>;
        id: string | number;
      };
      const challenge = this.auth.scopeChallenge(req.user, message.method, message.params);
      if (challenge !== undefined) {
        this.meter.refused(challenge.reason);
        return writeRefusal(res, challenge, message.id);
      }
    }
    if (classified.kind === 'request' && this.isSaturated(channel)) {
      // HTTP cannot stop reading one client the way a paused socket does: refuse the request
      // before it costs anything. Answers and notifications go through: they free capacity.
      this.meter.refused('in-flight');
      return writeError(
        res,
        'at-capacity',
        'Service Unavailable: too many requests in flight on this channel',
        classified.message.id,
        undefined,
        IN_FLIGHT_RETRY_AFTER,
      );
    }
    try {
      channel.receive(classified.message as JSONRPCMessage, this.extraOf(req));
    } catch (error) {
      channel.fail(error);
      throw error;
    }
    writeAccepted(res);
  }

  // ---- poll: GET after a cursor --------------------------------------------------------------------

  private poll(req: HttpRequest, res: ServerResponse, channelId: string | undefined): void | Promise<void> {
    req.resume();
    if (channelId === undefined) return channelRequired(res);
    if (!acceptanceOf(req.headers).json) {
      return writeError(res, 'not-acceptable', 'Not Acceptable: Accept must include application/json');
    }
    const cursorText = headerValue(req.headers, CURSOR_HEADER);
    const cursor =
      cursorText === undefined || cursorText === '' ? 0 : CURSOR.test(cursorText) ? Number(cursorText) : -1;
    if (this.fleet !== undefined) {
      if (cursor < 0) {
        return writeError(
          res,
          'invalid-request',
          'Bad Request: Last-Event-ID names no event of this channel',
        );
      }
      return this.fleet.poll(res, channelId, this.principalOf(req), cursor);
    }
    const channel = this.registry.get(channelId, this.principalOf(req));
    if (channel === undefined || channel.isFinished) return this.channelNotFound(req, res);
    if (cursor < 0 || !channel.knowsCursor(cursor)) {
      return writeError(res, 'invalid-request', 'Bad Request: Last-Event-ID names no event of this channel');
    }
    channel.poll(res, cursor);
  }

  // ---- close: DELETE ----------------------------------------------------------------------------------

  private async close(req: HttpRequest, res: ServerResponse, channelId: string | undefined): Promise<void> {
    req.resume();
    if (channelId === undefined) return channelRequired(res);
    if (this.fleet !== undefined) return this.fleet.close(res, channelId, this.principalOf(req));
    const channel = this.registry.get(channelId, this.principalOf(req));
    if (channel === undefined || channel.isFinished) return this.channelNotFound(req, res);
    await this.endChannel(channel, 0, 0);
    if (res.headersSent || res.destroyed) return;
    res.writeHead(204);
    res.end();
  }

  // ---- PollingChannelOwner ----------------------------------------------------------------------------

  overflowed(channel: PollingChannelTransport): void {
    this.meter.dropped('slow-consumer');
    this.logger.warn(
      `Polling channel ${channel.channelId} closed: ${channel.queuedBytes} unacknowledged bytes (limit ${this.maxQueuedBytes})`,
    );
    void this.endChannel(channel, 0, 0);
  }

  finished(channel: PollingChannelTransport): void {
    this.registry.remove(channel);
    this.meter.closed();
  }

  // ---- shutdown ----------------------------------------------------------------------------------------

  /**
   * Refuses new channels and sends (503), cancels in-flight requests and gives them the grace
   * period to answer, hands what they queued to each channel's waiting (or next) poll marked
   * `closed: true`, then forgets the channel: later polls get 404.
   */
  async shutdown(): Promise<void> {
    this.closing = true;
    this.registry.stop();
    const grace = this.settings.shutdownGraceMs;
    const linger = Math.min(grace, FINAL_POLL_LINGER_MS);
    await this.fleet?.shutdown(grace);
    await Promise.all(this.registry.all().map((channel) => this.endChannel(channel, linger, grace)));
  }

  // ---- helpers -------------------------------------------------------------------------------------------

  private async endChannel(
    channel: PollingChannelTransport,
    lingerMs: number,
    graceMs: number,
  ): Promise<void> {
    channel.lingerMs = lingerMs;
    if (channel.connection !== undefined) await channel.connection.shutdown(graceMs);
    await channel.close();
  }

  /** Transport header, switch, Host and Origin: the gates every polling request passes. */
  private admit(req: HttpRequest): Refusal | undefined {
    const requested = headerValue(req.headers, TRANSPORT_HEADER)?.toLowerCase();
    if (requested !== POLLING_TRANSPORT) {
      return {
        kind: 'invalid-request',
        message: `Bad Request: unknown Mcp-Transport "${requested ?? ''}" (this server offers: ${POLLING_TRANSPORT})`,
        reason: 'unknown-transport',
      };
    }
    if (!this.options.transports.polling) {
      return {
        kind: 'invalid-request',
        message:
          'Bad Request: the polling transport extension (Mcp-Transport: polling) is disabled on this server',
        reason: 'disabled',
      };
    }
    return this.hostOrigin.check(req);
  }

  private refuse(req: HttpRequest, res: ServerResponse, refusal: Refusal): void {
    req.resume();
    this.meter.refused(refusal.reason);
    writeError(res, refusal.kind, refusal.message, null, undefined, refusal.headers);
  }

  private channelNotFound(req: HttpRequest, res: ServerResponse): void {
    req.resume();
    writeError(res, 'channel-not-found', 'Polling channel not found: open a new one');
  }

  private unsupportedMediaType(req: HttpRequest, res: ServerResponse): void {
    req.resume();
    writeError(
      res,
      'unsupported-media-type',
      'Unsupported Media Type: Content-Type must be application/json',
    );
  }

  /** The server's maximum unless the client asked for less (0: answer at once, plain polling). */
  private pollTimeoutFor(requested: unknown): number {
    const max = this.settings.pollTimeoutMs;
    if (typeof requested !== 'number' || !Number.isFinite(requested)) return max;
    return Math.max(0, Math.min(max, Math.floor(requested)));
  }

  private principalOf(req: HttpRequest): PrincipalKey {
    return principalKeyOf(this.settings.principalKey, req.user);
  }

  private isSaturated(channel: PollingChannelTransport): boolean {
    return (channel.connection?.inFlight ?? 0) >= this.settings.maxInFlightPerChannel;
  }

  private extraOf(req: HttpRequest): McpMessageExtra {
    return { rawRequest: platformRequestOf(req), principal: req.user };
  }

  private readonly onTransportError = (error: Error): void => {
    this.logger.debug(`Polling channel error: ${error.message}`);
  };
}

function shuttingDown(): Refusal {
  return {
    kind: 'at-capacity',
    message: 'Service Unavailable: the server is shutting down',
    reason: 'shutting-down',
    headers: RETRY_AFTER,
  };
}

function channelRequired(res: ServerResponse): void {
  writeError(res, 'channel-required', 'Bad Request: Mcp-Channel-Id header is required');
}

/** An open request may come without a body (no length, or length 0, and not chunked). */
