import type {
  EventStore,
  JSONRPCMessage,
  RequestId,
  TransportSendOptions,
} from '@modelcontextprotocol/server';
import type { Logger } from '@nestjs/common';
import type { PrincipalKey } from '../polling/polling-principal.js';
import { SessionEraTracker } from '../../observability/session-era-tracker.js';
import type { TransportMeter } from '../../observability/transport-meter.js';
import type { McpConnection } from '../../protocol/mcp-connection.interface.js';
import type { McpMessageExtra, McpTransport } from '../transport.interface.js';
import { cancelledRequestId } from '../../protocol/json-rpc-messages.js';
import { isAnswerTo } from './modern-request.transport.js';
import type { PostExchange } from './post-exchange.js';
import { ResumableStream } from './resumable-stream.js';
import type { SseWriter } from './sse-writer.js';

/**
 * A 2025-era session (`Mcp-Session-Id`) and its transport: one protocol connection for the
 * session's lifetime, fed by every POST that names the session. Messages tied to a client
 * request go to that request's POST exchange (and its resumable stream); unsolicited ones
 * (list-changed, ...) go to the session's GET stream.
 */
export class LegacySession implements McpTransport {
  onmessage?: McpTransport['onmessage'];
  onclose?: () => void;
  onerror?: (error: Error) => void;
  connection: McpConnection | undefined;
  /** The revision negotiated by `initialize`. */
  protocolVersion: string | undefined;
  lastActivity = Date.now();
  closed = false;
  /**
   * With `auth` on, the key of the principal that opened the session: requests of anyone else
   * get 404, as for an unknown session (the MCP spec: session ids are not credentials).
   */
  owner: PrincipalKey | undefined;
  /** Counts this as an open session from its successful handshake until it closes (once). */
  readonly eraTracker: SessionEraTracker;

  private readonly exchanges = new Map<RequestId, PostExchange>();
  /** POST streams still expecting events, by stream id (for `Last-Event-ID` resumption). */
  private readonly streams = new Map<string, ResumableStream>();
  readonly standalone: ResumableStream;
  private nextStream = 0;

  constructor(
    readonly sessionId: string,
    readonly store: EventStore,
    private readonly logger: Logger,
    meter: TransportMeter,
  ) {
    this.standalone = new ResumableStream(`${sessionId}/get`, store, logger);
    this.eraTracker = new SessionEraTracker(meter);
  }

  async start(): Promise<void> {}

  setProtocolVersion(version: string): void {
    this.protocolVersion = version;
  }

  /** Whether a stream id belongs to this session (a client cannot resume another session's stream). */
  owns(streamId: string): boolean {
    return streamId.startsWith(`${this.sessionId}/`);
  }

  /** Idle: nothing in flight and no stream open, so the idle timeout may end the session. */
  get idle(): boolean {
    return this.exchanges.size === 0 && !this.standalone.attached;
  }

  deliver(message: JSONRPCMessage, extra: McpMessageExtra | undefined): void {
    this.lastActivity = Date.now();
    const cancelled = cancelledRequestId(message);
    if (cancelled !== undefined) this.abandon(cancelled);
    this.onmessage?.(message, extra);
  }

  /** Whether request `id` is still being answered on one of this session's POSTs. */
  isAnswering(id: RequestId): boolean {
    return this.exchanges.has(id);
  }

  /**
   * The client cancelled request `id`: its POST ends now, without an answer, and whatever the
   * handler still sends about it is dropped (spec: cancellation).
   */
  private abandon(id: RequestId): void {
    const exchange = this.exchanges.get(id);
    if (exchange === undefined) return;
    this.exchanges.delete(id);
    exchange.abandon();
  }

  /** Routes the messages about request `id` to `exchange` until it is answered. */
  begin(id: RequestId, exchange: PostExchange): void {
    this.lastActivity = Date.now();
    this.exchanges.set(id, exchange);
  }

  /** A new resumable stream for a POST that started streaming. */
  openStream(writer: SseWriter): ResumableStream {
    const streamId = `${this.sessionId}/${this.nextStream++}`;
    const stream = new ResumableStream(streamId, this.store, this.logger, () =>
      this.streams.delete(streamId),
    );
    this.streams.set(streamId, stream);
    void stream.attach(writer);
    return stream;
  }

  streamFor(streamId: string): ResumableStream | undefined {
    return streamId === this.standalone.streamId ? this.standalone : this.streams.get(streamId);
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    const related = options?.relatedRequestId;
    if (related === undefined) return this.standalone.push(message, false);
    const exchange = this.exchanges.get(related);
    if (exchange === undefined) {
      // The request was answered already (a late notification): nowhere to deliver it.
      return Promise.resolve();
    }
    const final = isAnswerTo(message, related);
    if (final) {
      this.exchanges.delete(related);
      this.lastActivity = Date.now();
    }
    return exchange.deliver(message, final) ?? Promise.resolve();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const exchange of this.exchanges.values()) exchange.end();
    this.exchanges.clear();
    for (const stream of this.streams.values()) stream.close();
    this.streams.clear();
    this.standalone.close();
    this.eraTracker.end();
    this.onclose?.();
  }
}
