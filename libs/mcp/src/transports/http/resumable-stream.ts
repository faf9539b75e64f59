import type { EventStore, JSONRPCMessage } from '@modelcontextprotocol/server';
import type { Logger } from '@nestjs/common';
import type { SseWriter } from './sse-writer.js';

/** What the event store holds for a priming event: not a message, only a resumption point. */
const PRIMING_PLACEHOLDER = {} as JSONRPCMessage;

/**
 * One logical SSE stream of a 2025-era session (a POST's stream or the session's GET
 * stream), which outlives the HTTP responses carrying it: every event is stored in the
 * event store first, then written to the response attached at that moment, if any. A
 * client that lost its response (or was told to poll) resumes with `Last-Event-ID` and
 * gets the stored events after it, then the live ones.
 *
 * Stores, writes, replays and attachments run one after another on a chain, so a resumed
 * client sees every event exactly once and in order even with an asynchronous store.
 */
export class ResumableStream {
  private tail: Promise<void> = Promise.resolve();
  private writer: SseWriter | undefined;
  /** The final response went out: nothing more will be written. */
  done = false;

  constructor(
    readonly streamId: string,
    private readonly store: EventStore,
    private readonly logger: Logger,
    private readonly onDone?: () => void,
    /**
     * Stores `endMark` when the stream ends without an answer (a cancelled request), so an
     * instance following the stream from the store knows it ended (several instances).
     */
    private readonly endMark?: JSONRPCMessage,
  ) {}

  get attached(): boolean {
    return this.writer?.open === true;
  }

  push(message: JSONRPCMessage, final: boolean): Promise<void> {
    return this.enqueue(async () => {
      const json = JSON.stringify(message);
      const id = await this.store.storeEvent(this.streamId, message);
      this.writer?.event(json, id);
      if (final) this.markDone();
    });
  }

  /** Ends the stream after what was pushed, with no answer (a cancelled request). */
  finish(): Promise<void> {
    return this.enqueue(async () => {
      if (this.endMark !== undefined) {
        const id = await this.store.storeEvent(this.streamId, this.endMark);
        this.writer?.prime(id, undefined);
      }
      this.markDone();
    });
  }

  private markDone(): void {
    this.done = true;
    this.writer?.end();
    this.writer = undefined;
    this.onDone?.();
  }

  /** Writes a priming event (an id to resume from, and `retry` when the stream may be ended early). */
  prime(retryMs: number | undefined): Promise<void> {
    return this.enqueue(async () => {
      const id = await this.store.storeEvent(this.streamId, PRIMING_PLACEHOLDER);
      this.writer?.prime(id, retryMs);
    });
  }

  attach(writer: SseWriter): Promise<void> {
    return this.enqueue(async () => this.setWriter(writer));
  }

  /** Ends the attached response, keeping the stream: the client will resume (SSE polling). */
  detach(): Promise<void> {
    return this.enqueue(async () => {
      this.writer?.end();
      this.writer = undefined;
    });
  }

  /** Replays what followed `lastEventId`, then carries on live (or ends, when already done). */
  resume(writer: SseWriter, lastEventId: string): Promise<void> {
    return this.enqueue(async () => {
      await replayInto(this.store, writer, lastEventId);
      if (this.done) writer.end();
      else this.setWriter(writer);
    });
  }

  /** Ends the stream for good (session end, shutdown). */
  close(): void {
    this.done = true;
    this.writer?.end();
    this.writer = undefined;
  }

  private setWriter(writer: SseWriter): void {
    if (this.writer !== undefined && this.writer !== writer) this.writer.end();
    this.writer = writer;
    writer.onClose(() => {
      if (this.writer === writer) this.writer = undefined;
    });
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    this.tail = this.tail.then(step).catch((error: unknown) => {
      this.logger.warn(
        `SSE stream ${this.streamId}: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
    return this.tail;
  }
}

/** A replaying reader that takes nothing for this long is cut as a slow consumer. */
const REPLAY_STALL_MS = 30_000;
const READER_GONE = new Error('the reader left or stalled during the replay');

/**
 * Writes the stored events after `lastEventId` to `writer` (priming placeholders as bare ids),
 * at the pace the client reads them: a long backlog never sits in memory at once.
 */
export async function replayInto(store: EventStore, writer: SseWriter, lastEventId: string): Promise<void> {
  try {
    await store.replayEventsAfter(lastEventId, {
      send: async (eventId, message) => {
        if (isPlaceholder(message)) writer.prime(eventId, undefined);
        else writer.event(JSON.stringify(message), eventId);
        if (!(await writer.drained(REPLAY_STALL_MS))) throw READER_GONE;
      },
    });
  } catch (error) {
    // The reader is gone: the rest stays stored for its next resumption.
    if (error !== READER_GONE) throw error;
  }
}

function isPlaceholder(message: JSONRPCMessage): boolean {
  return !('jsonrpc' in message);
}
