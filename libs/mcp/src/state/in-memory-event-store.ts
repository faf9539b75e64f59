import type { EventId, EventStore, JSONRPCMessage, StreamId } from '@modelcontextprotocol/server';

export interface InMemoryEventStoreOptions {
  /** Events kept per stream; older ones are dropped first. Default 1,000. */
  maxEventsPerStream?: number;
  /** Streams kept; the least recently written stream is dropped first. Default 10,000. */
  maxStreams?: number;
}

interface StoredStream {
  /** Sequence number of `events[0]`. */
  firstSeq: number;
  nextSeq: number;
  events: JSONRPCMessage[];
}

const SEPARATOR = '#';

/**
 * An `EventStore` (SSE resumption with `Last-Event-ID`) held in process memory, with
 * bounded memory: each stream keeps its most recent events only, and the least recently
 * written streams are forgotten first. A client resuming from an event that has been
 * dropped gets an error rather than a silent gap. Use a shared store (Redis, ...) when
 * requests of one session can land on different instances.
 */
export class InMemoryEventStore implements EventStore {
  private readonly streams = new Map<StreamId, StoredStream>();
  private readonly maxEventsPerStream: number;
  private readonly maxStreams: number;

  constructor(options: InMemoryEventStoreOptions = {}) {
    this.maxEventsPerStream = Math.max(1, options.maxEventsPerStream ?? 1000);
    this.maxStreams = Math.max(1, options.maxStreams ?? 10_000);
  }

  async storeEvent(streamId: StreamId, message: JSONRPCMessage): Promise<EventId> {
    let stream = this.streams.get(streamId);
    if (stream === undefined) {
      stream = { firstSeq: 0, nextSeq: 0, events: [] };
    } else {
      // Re-inserting keeps the Map in least-recently-written order for eviction.
      this.streams.delete(streamId);
    }
    this.streams.set(streamId, stream);
    if (this.streams.size > this.maxStreams) {
      const oldest = this.streams.keys().next().value as StreamId;
      this.streams.delete(oldest);
    }
    stream.events.push(message);
    const seq = stream.nextSeq++;
    if (stream.events.length > this.maxEventsPerStream) {
      stream.events.shift();
      stream.firstSeq++;
    }
    return `${streamId}${SEPARATOR}${seq}`;
  }

  async getStreamIdForEventId(eventId: EventId): Promise<StreamId | undefined> {
    const parsed = parseEventId(eventId);
    return parsed !== undefined && this.streams.has(parsed.streamId) ? parsed.streamId : undefined;
  }

  async replayEventsAfter(
    lastEventId: EventId,
    { send }: { send: (eventId: EventId, message: JSONRPCMessage) => Promise<void> },
  ): Promise<StreamId> {
    const parsed = parseEventId(lastEventId);
    const stream = parsed === undefined ? undefined : this.streams.get(parsed.streamId);
    if (parsed === undefined || stream === undefined) {
      throw new Error(`Unknown event ID: ${lastEventId}`);
    }
    // The event itself must still be held (or be the one just before the window), else
    // events between it and the window were lost.
    if (parsed.seq < stream.firstSeq - 1 || parsed.seq >= stream.nextSeq) {
      throw new Error(`Event ${lastEventId} is no longer available`);
    }
    for (let seq = parsed.seq + 1; seq < stream.nextSeq; seq++) {
      await send(`${parsed.streamId}${SEPARATOR}${seq}`, stream.events[seq - stream.firstSeq]!);
    }
    return parsed.streamId;
  }

  /** Forgets one stream's events (e.g. when its session ends). */
  deleteStream(streamId: StreamId): void {
    this.streams.delete(streamId);
  }
}

function parseEventId(eventId: string): { streamId: string; seq: number } | undefined {
  const at = eventId.lastIndexOf(SEPARATOR);
  if (at <= 0) return undefined;
  const digits = eventId.slice(at + 1);
  if (!/^\d+$/.test(digits)) return undefined;
  return { streamId: eventId.slice(0, at), seq: Number(digits) };
}
