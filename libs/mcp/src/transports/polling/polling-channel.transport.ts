import type { ServerResponse } from 'node:http';
import type { TransportMeter } from '../../observability/transport-meter.js';
import type { McpConnection } from '../../protocol/mcp-connection.interface.js';
import type { McpProtocolEra } from '../../protocol/mcp-context.js';
import type {
  JSONRPCMessage,
  McpMessageExtra,
  McpTransport,
  McpTransportSendOptions,
} from '../transport.interface.js';
import { unserializableMessage } from '../unserializable-message.js';
import { type BatchLimits, PollingEventQueue } from './polling-event-queue.js';
import type { PrincipalKey } from './polling-principal.js';
import { EMPTY_BATCH, writeBatch } from './poll-batch.response.js';

/** What a channel needs from the service that owns it. */
export interface PollingChannelOwner {
  readonly meter: TransportMeter;
  readonly batch: BatchLimits;
  readonly maxQueuedBytes: number;
  /** The client stopped polling and the queue passed `maxQueuedBytes`: end the channel. */
  overflowed(channel: PollingChannelTransport): void;
  /** The channel is over: forget it. */
  finished(channel: PollingChannelTransport): void;
}

/** A poll parked until there is something to answer or its time is up. */
interface WaitingPoll {
  readonly res: ServerResponse;
  readonly timer: NodeJS.Timeout;
}

const DONE = Promise.resolve();

/**
 * MCP over one polling channel: the client POSTs its messages one by one (`receive`) and
 * long-polls (GET) for the server's, which wait in a numbered queue until acknowledged.
 * Either protocol era, the first message decides, as on stdio and WebSocket.
 *
 * One poll is parked at a time; a newer poll supersedes it (the older one gets an empty
 * batch: its client has most likely given up on it, and nothing is lost because events
 * leave the queue only when acknowledged). Messages sent in the same turn of the event
 * loop go out in one answer, so a result usually travels with the progress before it.
 *
 * Ending: `close()` (called by the protocol layer's shutdown) stops taking messages, then
 * hands what is queued to a waiting poll or to the next one within `lingerMs`, marked
 * `closed: true` once the queue is drained; with `lingerMs` 0 (DELETE, idle, overflow) it
 * ends at once.
 */
export class PollingChannelTransport implements McpTransport {
  onmessage?: McpTransport['onmessage'];
  onclose?: () => void;
  onerror?: (error: Error) => void;

  /** Set once the protocol layer accepted the transport. */
  connection: McpConnection | undefined;
  /** `Date.now()` of the last poll or send; a parked poll keeps the channel alive too. */
  lastActivity = Date.now();
  /** How long `close()` waits for a poll to take the last messages. */
  lingerMs = 0;

  private readonly queue = new PollingEventQueue();
  private waiting: WaitingPoll | undefined;
  private flushScheduled = false;
  private accepting = true;
  private closing: Promise<void> | undefined;
  private lingerTimer: NodeJS.Timeout | undefined;
  private finishedSignal: (() => void) | undefined;
  private done = false;
  private sessionEra: McpProtocolEra | undefined;

  constructor(
    /** Cryptographically random, the only thing that names the channel. */
    readonly channelId: string,
    /** How long a poll on this channel may wait (the server's maximum or what the client asked). */
    readonly pollTimeoutMs: number,
    private readonly owner: PollingChannelOwner,
    /** The key of the principal that opened the channel: the only one that may use it. */
    readonly principal: PrincipalKey,
  ) {}

  get isFinished(): boolean {
    return this.done;
  }

  /** A poll is parked: the client is there, so the channel is not idle. */
  get isPolled(): boolean {
    return this.waiting !== undefined;
  }

  get queuedBytes(): number {
    return this.queue.queuedBytes;
  }

  /** Whether a client cursor names an event this channel handed out (or none, 0). */
  knowsCursor(cursor: number): boolean {
    return cursor <= this.queue.lastIssuedId;
  }

  async start(): Promise<void> {}

  /** Queues one message for the client. Never waits: the queue's bound is the backpressure. */
  send(message: JSONRPCMessage, _options?: McpTransportSendOptions): Promise<void> {
    if (!this.accepting) return DONE;
    let json: string;
    try {
      json = JSON.stringify(message);
    } catch (error) {
      const failure = unserializableMessage(message, error);
      this.onerror?.(failure.error);
      if (failure.replacement !== undefined) void this.send(failure.replacement);
      return DONE;
    }
    this.queue.push(json);
    this.owner.meter.messageOut();
    // One message always fits: it may be the answer the client is owed.
    if (this.queue.queuedBytes > this.owner.maxQueuedBytes && this.queue.size > 1) {
      this.accepting = false;
      this.owner.overflowed(this);
      return DONE;
    }
    if (this.waiting !== undefined && !this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(this.flushSoon);
    }
    return DONE;
  }

  /** One message the client POSTed. */
  receive(message: JSONRPCMessage, extra: McpMessageExtra): void {
    this.lastActivity = Date.now();
    this.owner.meter.messageIn();
    this.onmessage?.(message, extra);
    const era = this.connection?.era;
    if (this.sessionEra === undefined && era !== undefined) {
      this.sessionEra = era;
      this.owner.meter.sessionOpened(era);
    }
  }

  /**
   * A poll: acknowledges everything up to `cursor`, then answers at once when events are
   * queued (or the channel is ending), else parks until one is sent or the timeout.
   */
  poll(res: ServerResponse, cursor: number): void {
    this.lastActivity = Date.now();
    this.queue.acknowledge(cursor);
    const previous = this.waiting;
    if (previous !== undefined) {
      this.waiting = undefined;
      clearTimeout(previous.timer);
      writeBatch(previous.res, EMPTY_BATCH);
    }
    if (this.queue.size > 0 || this.closing !== undefined) {
      this.answer(res);
      return;
    }
    const timer = setTimeout(this.answerWaiting, this.pollTimeoutMs);
    this.waiting = { res, timer };
    res.once('close', () => {
      if (this.waiting?.res !== res) return;
      // The client or a middlebox gave up on the poll: whatever was queued stays queued.
      clearTimeout(timer);
      this.waiting = undefined;
      this.lastActivity = Date.now();
    });
  }

  /** Ends the channel: see the class comment. Settles once it is over. */
  close(): Promise<void> {
    if (this.done) return DONE;
    if (this.closing !== undefined) return this.closing;
    this.accepting = false;
    this.closing = new Promise((resolve) => (this.finishedSignal = resolve));
    if (this.lingerMs <= 0) this.finish();
    else if (this.waiting !== undefined) this.answerWaiting();
    else {
      this.lingerTimer = setTimeout(() => this.finish(), this.lingerMs);
      this.lingerTimer.unref();
    }
    return this.closing;
  }

  /** An internal failure left the connection in an unknown state: end it. */
  fail(error: unknown): void {
    this.onerror?.(error instanceof Error ? error : new Error(String(error)));
    this.lingerMs = 0;
    void this.close();
  }

  private readonly flushSoon = (): void => {
    this.flushScheduled = false;
    if (this.queue.size > 0) this.answerWaiting();
  };

  private readonly answerWaiting = (): void => {
    const poll = this.waiting;
    if (poll === undefined) return;
    this.waiting = undefined;
    clearTimeout(poll.timer);
    // The client was there until now: the idle clock starts when its parked poll is answered,
    // not when the poll arrived (a poll longer than the idle timeout would end the channel).
    this.lastActivity = Date.now();
    this.answer(poll.res);
  };

  private answer(res: ServerResponse): void {
    const batch = this.queue.batch(this.owner.batch);
    const drained = batch.count === this.queue.size;
    const last = this.closing !== undefined && drained;
    writeBatch(res, `{"events":${batch.json}${last ? ',"closed":true' : ''}}`);
    if (last) this.finish();
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.accepting = false;
    clearTimeout(this.lingerTimer);
    const poll = this.waiting;
    if (poll !== undefined) {
      this.waiting = undefined;
      clearTimeout(poll.timer);
      writeBatch(poll.res, `{"events":${this.queue.batch(this.owner.batch).json},"closed":true}`);
    }
    if (this.sessionEra !== undefined) this.owner.meter.sessionClosed(this.sessionEra);
    this.owner.finished(this);
    this.onclose?.();
    this.finishedSignal?.();
  }
}
