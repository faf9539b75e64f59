import type { IncomingMessage } from 'node:http';
import { type CanActivate, Inject, Injectable, Logger, type OnModuleInit, type Type } from '@nestjs/common';
import { ApplicationConfig, HttpAdapterHost, ModuleRef } from '@nestjs/core';
import type { WebSocket } from 'ws';
import { type AuthAdmission, McpAuthAdmission } from '../../auth/mcp-auth.admission.js';
import { whenExpired } from '../../auth/token-expiry.js';
import { MCP_RESOLVED_OPTIONS } from '../../mcp.constants.js';
import type { ResolvedMcpOptions } from '../../mcp.options.js';
import { McpMetricsService } from '../../observability/mcp-metrics.service.js';
import type { TransportMeter } from '../../observability/transport-meter.js';
import type { McpConnectOptions } from '../../protocol/mcp-connection.interface.js';
import { mcpRoutePaths } from '../../platforms/mcp-route-paths.js';
import { McpProtocolService } from '../../protocol/mcp-protocol.service.js';
import { HostOriginPolicy } from '../../security/host-origin.policy.js';
import { ConnectionSupervisor } from './connection-supervisor.js';
import { installDefaultWsAdapter } from './default-ws-adapter.js';
import { UpgradeExecutionContext } from './upgrade-execution-context.js';
import { runUpgradeGuards } from './upgrade-guards.js';
import {
  checkNoHttpSession,
  checkSubprotocol,
  MCP_SUBPROTOCOL,
  refusal,
  type UpgradeRefusal,
} from './upgrade-refusal.js';
import { WsCloseCode, WsCloseReason } from './websocket-close-codes.js';
import { WebSocketTransport, type WebSocketTransportLimits } from './websocket.transport.js';

const CONNECTION: McpConnectOptions = { transport: 'websocket' };
/** Seconds a client refused for capacity or shutdown should wait, as on the HTTP route. */
const RETRY_AFTER = { 'retry-after': '5' };

/** `ws`'s `verifyClient` callback (async form). */
export type VerifyUpgradeDone = (
  accepted: boolean,
  status?: number,
  message?: string,
  headers?: Record<string, string>,
) => void;

type UpgradeRequest = IncomingMessage & { user?: unknown };

/**
 * The WebSocket transport's server side: decides every upgrade on the MCP route (shutdown,
 * Host, Origin, session header, subprotocol, capacity, then the route's guards), binds each
 * accepted socket to the protocol layer as its own connection, supervises heartbeats and
 * idle sockets, and on shutdown closes every socket with 1001 after its in-flight requests
 * were answered or cancelled within the grace period.
 */
@Injectable()
export class McpWebSocketService implements OnModuleInit {
  private readonly logger = new Logger('McpWebSocket');
  private readonly supervisor: ConnectionSupervisor;
  private readonly limits: WebSocketTransportLimits;
  private readonly settings: ResolvedMcpOptions['websocket'];
  private readonly meter: TransportMeter;
  private guards: CanActivate[] = [];
  private gateway: { type: Type; handler: (...args: never[]) => unknown } | undefined;
  /** Slots held from admission until the TCP connection closes (capacity counts these). */
  private admitted = 0;
  private closing = false;

  constructor(
    private readonly engine: McpProtocolService,
    @Inject(MCP_RESOLVED_OPTIONS) private readonly options: ResolvedMcpOptions,
    private readonly adapterHost: HttpAdapterHost,
    private readonly moduleRef: ModuleRef,
    private readonly hostOrigin: HostOriginPolicy,
    private readonly appConfig: ApplicationConfig,
    metrics: McpMetricsService,
    private readonly auth: McpAuthAdmission,
  ) {
    this.settings = options.websocket;
    this.supervisor = new ConnectionSupervisor(this.settings);
    this.limits = {
      maxBufferedBytes: this.settings.maxBufferedBytes,
      maxInFlight: this.settings.maxInFlightPerConnection,
    };
    this.meter = metrics.meter('websocket');
  }

  /** Sockets open now. */
  get openConnections(): number {
    return this.supervisor.size;
  }

  get maxConnections(): number {
    return this.settings.maxConnections;
  }

  /** False once shutdown began or when every slot is taken. */
  get accepting(): boolean {
    return !this.closing && this.options.transports.websocket && this.admitted < this.settings.maxConnections;
  }

  get maxFrameBytes(): number {
    return this.settings.maxFrameBytes;
  }

  async onModuleInit(): Promise<void> {
    this.guards = await Promise.all(this.options.guards.map((guard) => this.guardInstance(guard)));
  }

  /** Called by the gateway class of this registration when Nest builds it. */
  /**
   * Where the Upgrade is served: the path of the MCP controller's routes (global prefix,
   * its `exclude`, and the URI version included), read when the gateway's server is created.
   */
  get upgradePath(): string {
    return mcpRoutePaths(this.appConfig, this.options.route)[0]!;
  }

  bindGateway(type: Type, handler: (...args: never[]) => unknown): void {
    this.gateway = { type, handler };
    installDefaultWsAdapter(this.moduleRef, this.adapterHost, this.logger);
  }

  /** The gateway's server, from `afterInit`: the MCP transport needs a `ws` server. */
  checkServer(server: unknown): void {
    // Duck-typed: the adapter may load its own copy of `ws`, so `instanceof` would lie.
    const candidate = server as { handleUpgrade?: unknown; shouldHandle?: unknown } | undefined;
    if (typeof candidate?.handleUpgrade !== 'function' || typeof candidate.shouldHandle !== 'function') {
      this.logger.error(
        'The app WebSocket adapter is not ws-based: MCP over WebSocket needs WsAdapter or McpWsAdapter ' +
          '(app.useWebSocketAdapter(new McpWsAdapter(app))), or set transports.websocket to false',
      );
    }
  }

  /** `ws`'s `verifyClient`: every admission decision, before anything is upgraded. */
  verifyUpgrade(info: { req: IncomingMessage }, done: VerifyUpgradeDone): void {
    const req = info.req as UpgradeRequest;
    const refused = this.admit(req);
    if (refused !== undefined) return this.refuse(refused, done);
    this.admitted++;
    req.socket.once('close', this.release);
    // The bearer token is checked before the upgrade, like every other admission: a refused
    // client gets the HTTP 401/403 with its challenge, never a socket.
    const admission = this.auth.admit(req);
    if (admission instanceof Promise) {
      admission.then(
        (settled) => this.afterAuth(req, settled, done),
        (error: unknown) => this.upgradeFailed(error, done),
      );
      return;
    }
    this.afterAuth(req, admission, done);
  }

  private afterAuth(req: UpgradeRequest, admission: AuthAdmission, done: VerifyUpgradeDone): void {
    if (!admission.admitted) {
      const { challenge } = admission;
      return this.refuse(
        {
          status: challenge.status,
          message: challenge.message,
          reason: challenge.reason,
          headers: challenge.headers,
        },
        done,
      );
    }
    // Guards and handlers see the verified principal as they would on HTTP.
    if (admission.principal !== undefined) req.user = admission.principal;
    if (this.guards.length === 0) return done(true);
    const gateway = this.gateway!;
    runUpgradeGuards(this.guards, new UpgradeExecutionContext(req, gateway.type, gateway.handler)).then(
      (guardRefusal) => (guardRefusal === undefined ? done(true) : this.refuse(guardRefusal, done)),
      (error: unknown) => this.upgradeFailed(error, done),
    );
  }

  private upgradeFailed(error: unknown, done: VerifyUpgradeDone): void {
    this.logger.error(`Upgrade guard failed: ${error instanceof Error ? error.stack : String(error)}`);
    this.refuse(refusal('internal-error', 'Internal Server Error', 'guard-error'), done);
  }

  /** `ws`'s `handleProtocols`; only called when the client offered some (and `mcp` was checked). */
  selectSubprotocol(protocols: Set<string>): string | false {
    return protocols.has(MCP_SUBPROTOCOL) ? MCP_SUBPROTOCOL : false;
  }

  /** An upgraded socket: its own protocol connection, either era, never an HTTP session. */
  accept(socket: WebSocket, req: UpgradeRequest): void {
    const transport = new WebSocketTransport(
      socket,
      { rawRequest: req, principal: req.user },
      this.limits,
      this.meter,
      this.supervisor,
    );
    // oxlint-disable-next-line unicorn/prefer-add-event-listener -- the SDK Transport shape has handler properties
    transport.onerror = this.onTransportError;
    this.meter.opened();
    this.supervisor.add(transport);
    // The socket's authorization ends with its token: closed with 4401 at expiry (in-flight
    // requests are cancelled as on any close), and the client reconnects with a fresh token.
    const cancelExpiry = whenExpired(this.auth.expiryOf(req.user), () =>
      transport.end(WsCloseCode.TokenExpired, WsCloseReason.TokenExpired),
    );
    socket.once('close', cancelExpiry);
    if (this.closing) {
      void transport.close();
      return;
    }
    this.engine.connect(transport, CONNECTION).then(
      (connection) => (transport.connection = connection),
      (error: unknown) => transport.fail(error),
    );
  }

  /**
   * Before the HTTP server closes: refuse new upgrades (503), then every socket's in-flight
   * requests are cancelled and get the grace period to answer, and the socket closes (1001).
   */
  async shutdown(): Promise<void> {
    this.closing = true;
    this.supervisor.stop();
    const grace = this.settings.shutdownGraceMs;
    await Promise.all(
      [...this.supervisor.all()].map((transport) =>
        transport.connection === undefined ? transport.close() : transport.connection.shutdown(grace),
      ),
    );
  }

  private admit(req: UpgradeRequest): UpgradeRefusal | undefined {
    if (this.closing) {
      return refusal(
        'at-capacity',
        'Service Unavailable: the server is shutting down',
        'shutting-down',
        RETRY_AFTER,
      );
    }
    if (!this.options.transports.websocket) {
      return refusal('invalid-request', 'Bad Request: WebSocket is turned off on this route', 'disabled');
    }
    const hostOriginProblem = this.hostOrigin.check(req);
    if (hostOriginProblem !== undefined) {
      return refusal(hostOriginProblem.kind, hostOriginProblem.message, hostOriginProblem.reason);
    }
    const protocolProblem = checkNoHttpSession(req) ?? checkSubprotocol(req);
    if (protocolProblem !== undefined) return protocolProblem;
    if (this.admitted >= this.settings.maxConnections) {
      return refusal(
        'at-capacity',
        'Service Unavailable: too many WebSocket connections',
        'capacity',
        RETRY_AFTER,
      );
    }
    return undefined;
  }

  private refuse(refused: UpgradeRefusal, done: VerifyUpgradeDone): void {
    this.meter.refused(refused.reason);
    done(false, refused.status, refused.message, refused.headers);
  }

  private readonly release = (): void => {
    this.admitted--;
  };

  private readonly onTransportError = (error: Error): void => {
    this.logger.debug(`WebSocket error: ${error.message}`);
  };

  private async guardInstance(guard: Type<CanActivate> | CanActivate): Promise<CanActivate> {
    if (typeof guard !== 'function') return guard;
    try {
      return this.moduleRef.get(guard, { strict: false });
    } catch {
      return this.moduleRef.create(guard);
    }
  }
}
