import type {
  EventStore,
  JSONRPCMessage,
  RequestId,
  TransportSendOptions,
} from '@modelcontextprotocol/server';
import type { Logger } from '@nestjs/common';
import { type PrincipalKey, UNKEYABLE } from '../polling/polling-principal.js';
import { SessionEraTracker } from '../../observability/session-era-tracker.js';
import type { TransportMeter } from '../../observability/transport-meter.js';
import type { McpConnection } from '../../protocol/mcp-connection.interface.js';
import type { McpMessageExtra, McpTransport } from '../transport.interface.js';
import { JsonRpcErrorCode } from '../../errors/wire-errors.js';
import { cancelledRequestId } from '../../protocol/json-rpc-messages.js';
import type { McpSessionState, McpStoredSession } from '../../state/session-store.js';
import { isAnswerTo } from './modern-request.transport.js';
import type { PostExchange } from './post-exchange.js';
import { ResumableStream } from './resumable-stream.js';
import type { SessionFleet } from './session-fleet.js';
import type { SseWriter } from './sse-writer.js';
import { STREAM_END_MARK } from './stream-follower.js';

/**
 * A 2025-era session (`Mcp-Session-Id`) and its transport: one protocol connection for the
 * session's lifetime, fed by every POST that names the session. Messages tied to a client
 * request go to that request's POST exchange (and its resumable stream); unsolicited ones
 * (list-changed, ...) go to the session's GET stream.
 *
 * With a `fleet`, this is one instance's replica of a session the fleet shares: its state
 * is saved in the session store when it changes (the answer of the request that changed it
 * waits for the save), messages that belong to another instance are sent there, and only the
 * replica holding the GET stream forwards unsolicited events.
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
  /** Fleet: the revision of the stored state this replica holds. */
  revision: number | undefined;
  /** Fleet: whether this instance forwards the unsolicited events (it holds the GET stream). */
  private holdsGet = false;
  /** Fleet: the save of a state change, which the answer of the request that made it waits for. */
  private saving: Promise<Error | undefined> | undefined;
  /** Fleet: resumptions of streams written by other instances, ended with the session. */
  private followers: Set<SseWriter> | undefined;

  constructor(
    readonly sessionId: string,
    readonly store: EventStore,
    private readonly logger: Logger,
    meter: TransportMeter,
    readonly fleet?: SessionFleet,
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

  /** Idle: nothing in flight and no stream open (or followed), so the idle timeout may end the session. */
  get idle(): boolean {
    return this.exchanges.size === 0 && !this.standalone.attached && (this.followers?.size ?? 0) === 0;
  }

  deliver(message: JSONRPCMessage, extra: McpMessageExtra | undefined): void {
    this.lastActivity = Date.now();
    if (this.fleet?.forward(this, message)) return;
    this.deliverHere(message, extra);
  }

  /** Handles `message` on this instance (a message another instance sent here, too). */
  deliverHere(message: JSONRPCMessage, extra?: McpMessageExtra): void {
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

  /** A new resumable stream for the POST of request `requestId`, which started streaming. */
  openStream(writer: SseWriter, requestId: RequestId): ResumableStream {
    const serial = this.nextStream++;
    const streamId =
      this.fleet === undefined
        ? `${this.sessionId}/${serial}`
        : this.fleet.streamIdFor(this, serial, requestId);
    const stream = new ResumableStream(
      streamId,
      this.store,
      this.logger,
      () => this.streams.delete(streamId),
      this.fleet === undefined ? undefined : STREAM_END_MARK,
    );
    this.streams.set(streamId, stream);
    void stream.attach(writer);
    return stream;
  }

  streamFor(streamId: string): ResumableStream | undefined {
    return streamId === this.standalone.streamId ? this.standalone : this.streams.get(streamId);
  }

  // ---- fleet ----------------------------------------------------------------------------------

  /** The protocol connection changed the session's state: it is saved for every instance. */
  saveState(state: McpSessionState): void {
    const fleet = this.fleet!;
    // The handshake's state is new to everyone: only later changes are announced to replicas.
    const announce = this.revision !== undefined;
    const previous = this.saving ?? Promise.resolve(undefined);
    const owned = this.owner === undefined ? state : { ...state, owner: storedOwner(this.owner) };
    this.saving = previous.then(() =>
      fleet.save(this.sessionId, owned, announce).then(
        () => {
          // From now on requests check the store (see `StreamableHttpService.replicaOf`).
          this.revision ??= 0;
          return undefined;
        },
        (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
      ),
    );
  }

  /** The stored state changed (another instance saved it). */
  restore(stored: McpStoredSession): void {
    this.revision = stored.revision;
    if (stored.state === undefined) return;
    if (stored.state.owner !== undefined) this.owner = stored.state.owner ?? UNKEYABLE;
    this.connection?.restoreSession(stored.state);
  }

  /** This instance now holds the GET stream. */
  takeGet(): void {
    if (this.fleet === undefined || this.holdsGet) return;
    this.holdsGet = true;
    this.fleet.tookGet(this.sessionId);
  }

  /** Another instance took the GET stream: this one ends its response and stops forwarding. */
  releaseGet(): void {
    this.holdsGet = false;
    void this.standalone.detach();
  }

  /** Ends `writer` (a stream followed from the store) when the session ends. */
  follow(writer: SseWriter): void {
    const followers = (this.followers ??= new Set());
    followers.add(writer);
    writer.onClose(() => followers.delete(writer));
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    const related = options?.relatedRequestId;
    if (related === undefined) {
      // In a fleet every replica hears the events; the one holding the GET stream sends them.
      if (this.fleet !== undefined && !this.holdsGet) return Promise.resolve();
      return this.standalone.push(message, false);
    }
    const exchange = this.exchanges.get(related);
    if (exchange === undefined) {
      // The request was answered already (a late notification): nowhere to deliver it.
      return Promise.resolve();
    }
    const final = isAnswerTo(message, related);
    if (final) {
      this.exchanges.delete(related);
      this.lastActivity = Date.now();
      const saving = this.saving;
      if (saving !== undefined) {
        this.saving = undefined;
        return saving.then((failed) => exchange.deliver(unsavedAnswer(message, failed), true) ?? undefined);
      }
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
    for (const writer of this.followers ?? []) writer.end();
    this.eraTracker.end();
    this.onclose?.();
  }
}

/**
 * The answer of a request whose session change could not be saved: an error instead of a
 * result, since the other instances would not know the change (a handshake the fleet cannot
 * see would leave a session only this instance serves).
 */
function unsavedAnswer(message: JSONRPCMessage, failed: Error | undefined): JSONRPCMessage {
  if (failed === undefined || !('result' in message)) return message;
  return {
    jsonrpc: '2.0',
    id: message.id,
    error: { code: JsonRpcErrorCode.Unavailable, message: failed.message },
  };
}

/** A principal key as stored with the session (`McpSessionState.owner`). */
function storedOwner(owner: Exclude<PrincipalKey, undefined>): string | null {
  return owner === UNKEYABLE ? null : owner;
}
