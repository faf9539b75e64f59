/** One outgoing message, serialized once as it will appear in a poll answer. */
interface QueuedEvent {
  readonly id: number;
  /** `{"id":<id>,"message":<message>}` */
  readonly json: string;
  readonly bytes: number;
}

/** Bounds of one poll answer. */
export interface BatchLimits {
  readonly maxEvents: number;
  readonly maxBytes: number;
}

/** What a poll answer carries. */
export interface EventBatch {
  /** The events as a JSON array text. */
  readonly json: string;
  readonly count: number;
  /** Id of the last event in the batch (0 when empty). */
  readonly lastId: number;
}

/**
 * The outgoing side of a polling channel: every message the server sends, numbered 1, 2, 3...
 * and kept until the client acknowledges it by naming a later cursor. A batch always starts
 * at the oldest unacknowledged event, so an answer a middlebox lost is simply sent again by
 * the next poll (which still carries the old cursor), and nothing acknowledged is sent twice.
 */
export class PollingEventQueue {
  private events: QueuedEvent[] = [];
  /** Index of the first unacknowledged event in `events` (compacted lazily). */
  private head = 0;
  private nextId = 1;
  private bytes = 0;

  /** Bytes of events not yet acknowledged. */
  get queuedBytes(): number {
    return this.bytes;
  }

  get size(): number {
    return this.events.length - this.head;
  }

  /** The highest id handed out so far; a cursor above it is a client error. */
  get lastIssuedId(): number {
    return this.nextId - 1;
  }

  /** Appends one message, given as its JSON text. */
  push(messageJson: string): number {
    const id = this.nextId++;
    const json = `{"id":${id},"message":${messageJson}}`;
    const bytes = Buffer.byteLength(json);
    this.events.push({ id, json, bytes });
    this.bytes += bytes;
    return id;
  }

  /** Drops every event up to and including `cursor`. */
  acknowledge(cursor: number): void {
    const events = this.events;
    let head = this.head;
    while (head < events.length && events[head]!.id <= cursor) {
      this.bytes -= events[head]!.bytes;
      head++;
    }
    if (head === events.length) {
      this.events = [];
      this.head = 0;
    } else if (head > 64 && head * 2 > events.length) {
      this.events = events.slice(head);
      this.head = 0;
    } else {
      this.head = head;
    }
  }

  /** The oldest unacknowledged events within the limits (at least one when any is queued). */
  batch(limits: BatchLimits): EventBatch {
    const parts: string[] = [];
    let bytes = 0;
    let lastId = 0;
    for (let index = this.head; index < this.events.length && parts.length < limits.maxEvents; index++) {
      const event = this.events[index]!;
      if (parts.length > 0 && bytes + event.bytes > limits.maxBytes) break;
      parts.push(event.json);
      bytes += event.bytes;
      lastId = event.id;
    }
    return { json: `[${parts.join(',')}]`, count: parts.length, lastId };
  }
}
