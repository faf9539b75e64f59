import type { WebSocket } from 'ws';
import { cancelledRequestId, errorResponse, parseJsonRpc } from '../../protocol/json-rpc-messages.js';
import type { McpConnection } from '../../protocol/mcp-connection.interface.js';
import type { McpProtocolEra } from '../../protocol/mcp-context.js';
import type { TransportMeter } from '../../observability/transport-meter.js';
import type {
  JSONRPCMessage,
  McpMessageExtra,
  McpTransport,
  McpTransportSendOptions,
} from '../transport.interface.js';
import { unserializableMessage } from '../unserializable-message.js';
import { RequestBacklog } from './request-backlog.js';
import { WsCloseCode, WsCloseReason } from './websocket-close-codes.js';

/** Per-socket limits, shared by every transport of a gateway. */
export interface WebSocketTransportLimits {
  readonly maxBufferedBytes: number;
  readonly maxInFlight: number;
}

/** What the transport needs from its gateway's supervisor. */
export interface TransportSupervision {
  /** The supervisor's sweep count, the transport's activity clock. */
  readonly tick: number;
  delete(transport: WebSocketTransport): void;
}

const DONE = Promise.resolve();
const TRANSPORT = Symbol('mcp.websocket.transport');
type TaggedSocket = WebSocket & { [TRANSPORT]?: WebSocketTransport };

/**
 * MCP over one WebSocket: one JSON-RPC message per text frame, both ways, either protocol
 * era (the first message decides). Text framing errors are answered here because only this
 * transport sees text: invalid JSON gets -32700 (id null) and the socket stays usable;
 * everything that parses goes to the protocol layer, JSON-RPC or not.
 *
 * Built to be cheap per socket: the socket listeners are shared functions (the transport is
 * found through a symbol on the socket), timers live in the supervisor, and the only
 * per-message work is the parse and the stringify.
 */
export class WebSocketTransport implements McpTransport {
  onmessage?: McpTransport['onmessage'];
  onclose?: () => void;
  onerror?: (error: Error) => void;

  /** Set once the protocol layer accepted the transport. */
  connection: McpConnection | undefined;
  /** Heartbeat: cleared when a ping goes out, set by the pong or any inbound frame. */
  alive = true;
  /** Supervisor tick of the last inbound frame (idle timeout). */
  lastActivityTick: number;

  private sessionEra: McpProtocolEra | undefined;
  private readonly backlog = new RequestBacklog();
  private ending = false;
  private closed = false;
  private closeWaiter: (() => void) | undefined;

  constructor(
    readonly socket: WebSocket,
    private readonly extra: McpMessageExtra,
    private readonly limits: WebSocketTransportLimits,
    private readonly meter: TransportMeter,
    private readonly supervision: TransportSupervision,
  ) {
    this.lastActivityTick = supervision.tick;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  async start(): Promise<void> {
    const socket = this.socket as TaggedSocket;
    socket[TRANSPORT] = this;
    socket.on('message', onSocketMessage);
    socket.on('pong', onSocketPong);
    socket.on('close', onSocketClose);
    socket.on('error', onSocketError);
  }

  /**
   * Sends one frame. Never waits: a peer that does not read makes the queue grow, and past
   * `maxBufferedBytes` the socket is closed (1008) rather than queued without bound.
   */
  send(message: JSONRPCMessage, _options?: McpTransportSendOptions): Promise<void> {
    // The peer is gone: nobody is owed anything any more, so this is not an error.
    if (this.closed || this.ending) return DONE;
    let text: string;
    try {
      text = JSON.stringify(message);
    } catch (error) {
      const failure = unserializableMessage(message, error);
      this.onerror?.(failure.error);
      if (failure.replacement !== undefined) void this.send(failure.replacement);
      return DONE;
    }
    this.socket.send(text);
    this.meter.messageOut();
    if (this.socket.bufferedAmount > this.limits.maxBufferedBytes) {
      if (!this.ending) this.meter.dropped('slow-consumer');
      this.end(WsCloseCode.PolicyViolation, WsCloseReason.SlowConsumer);
    }
    return DONE;
  }

  /** Server-side end of the connection (shutdown): 1001, settles once the socket closed. */
  close(): Promise<void> {
    return this.endAndWait(WsCloseCode.GoingAway, WsCloseReason.ShuttingDown);
  }

  /** Starts the close handshake with `code`; `ws` terminates a peer that does not finish it. */
  end(code: number, reason: string): void {
    if (this.ending || this.closed) return;
    this.ending = true;
    this.socket.close(code, reason);
  }

  endAndWait(code: number, reason: string): Promise<void> {
    if (this.closed) return DONE;
    const closed = new Promise<void>((resolve) => (this.closeWaiter = resolve));
    this.end(code, reason);
    return closed;
  }

  /** Drops the TCP connection without a close frame (a dead peer would not read one). */
  terminate(): void {
    this.socket.terminate();
  }

  receive(data: Buffer, isBinary: boolean): void {
    if (this.ending || this.closed) return;
    this.alive = true;
    this.lastActivityTick = this.supervision.tick;
    this.meter.messageIn();
    if (isBinary) {
      this.end(WsCloseCode.UnsupportedData, WsCloseReason.BinaryFrame);
      return;
    }
    const parsed = parseJsonRpc(data.toString('utf8'));
    if (!parsed.ok) {
      void this.send(errorResponse(null, parsed.error));
      return;
    }
    const value = parsed.value as Record<string, unknown> | null;
    const connection = this.connection;
    if (connection !== undefined && isRequest(value)) {
      if (this.backlog.size > 0 || connection.inFlight >= this.limits.maxInFlight) {
        this.hold(value, data.length);
        return;
      }
    } else {
      const cancelled = cancelledRequestId(value);
      // It never ran: no answer is owed (spec: cancellation).
      if (cancelled !== undefined && this.backlog.cancel(cancelled)) return;
    }
    this.deliver(value);
  }

  /** At the in-flight cap: the request waits its turn; a client that piles up too many is closed (1008). */
  private hold(request: Record<string, unknown>, bytes: number): void {
    this.backlog.add(request['id'], request, bytes);
    if (this.backlog.bytes > this.limits.maxBufferedBytes) {
      this.meter.dropped('flood');
      this.end(WsCloseCode.PolicyViolation, WsCloseReason.TooManyRequests);
    }
  }

  /** A request settled: held requests go on while there is room. */
  private readonly onRequestSettled = (): void => {
    const connection = this.connection!;
    while (this.backlog.size > 0 && connection.inFlight < this.limits.maxInFlight && !this.ending) {
      this.deliver(this.backlog.take());
    }
  };

  private deliver(value: unknown): void {
    try {
      this.onmessage?.(value as JSONRPCMessage, this.extra);
    } catch (error) {
      this.fail(error);
      return;
    }
    const connection = this.connection;
    if (connection === undefined) return;
    connection.onRequestSettled ??= this.onRequestSettled;
    if (this.sessionEra === undefined && connection.era !== undefined) {
      this.sessionEra = connection.era;
      this.meter.sessionOpened(this.sessionEra);
    }
  }

  onPong(): void {
    this.alive = true;
  }

  onSocketClosed(): void {
    if (this.closed) return;
    this.closed = true;
    delete (this.socket as TaggedSocket)[TRANSPORT];
    this.socket.off('message', onSocketMessage);
    this.socket.off('pong', onSocketPong);
    this.socket.off('close', onSocketClose);
    // The error listener stays: a late error must not become an uncaught exception.
    this.supervision.delete(this);
    if (this.sessionEra !== undefined) this.meter.sessionClosed(this.sessionEra);
    this.meter.closed();
    this.onclose?.();
    this.closeWaiter?.();
  }

  /** An internal failure left the connection in an unknown state: 1011. */
  fail(error: unknown): void {
    this.onerror?.(error instanceof Error ? error : new Error(String(error)));
    this.end(WsCloseCode.InternalError, WsCloseReason.InternalError);
  }
}

function isRequest(value: Record<string, unknown> | null): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && typeof value['method'] === 'string' && 'id' in value;
}

// Shared listeners: `this` is the socket, so no closure is allocated per connection.
function onSocketMessage(this: TaggedSocket, data: Buffer, isBinary: boolean): void {
  this[TRANSPORT]?.receive(data, isBinary);
}

function onSocketPong(this: TaggedSocket): void {
  this[TRANSPORT]?.onPong();
}

function onSocketClose(this: TaggedSocket): void {
  this[TRANSPORT]?.onSocketClosed();
}

function onSocketError(this: TaggedSocket, error: Error): void {
  // `ws` closes the socket itself after a protocol error (1002, 1007, 1009); report only.
  this[TRANSPORT]?.onerror?.(error);
}
