import type { EventId, JSONRPCMessage, StreamId } from '@modelcontextprotocol/server';
import type { McpSharedEventStore } from '../../state/shared-event-store.js';
import type { SseWriter } from './sse-writer.js';

/** A reader that takes nothing for this long during the replay is cut as a slow consumer. */
const REPLAY_STALL_MS = 30_000;

export interface StreamFollowOptions {
  readonly store: McpSharedEventStore;
  readonly streamId: StreamId;
  readonly lastEventId: EventId;
  readonly writer: SseWriter;
  /** Whether the instance writing the stream still runs; asked every `ownerCheckMs`. */
  readonly ownerAlive: () => Promise<boolean>;
  readonly ownerCheckMs: number;
  /** The answer written to the stream when its writer died before answering. */
  readonly orphanAnswer: JSONRPCMessage;
}

/**
 * Serves a `Last-Event-ID` resumption of a POST's stream that another instance writes: the
 * stored events after the client's last one, then the events that instance still writes, until
 * the request's answer (or the end mark of a cancelled request). When the writing instance
 * dies first, the follower stores `orphanAnswer` in the stream and sends it, so the client
 * gets an error instead of waiting forever. Resolves once the replay went out.
 */
export async function followStream(options: StreamFollowOptions): Promise<void> {
  const { store, writer } = options;
  const sent = new Set<EventId>();
  let live: Array<[EventId, JSONRPCMessage]> | undefined = [];
  let ended = false;
  let timer: NodeJS.Timeout | undefined;
  let stop: (() => void) | undefined;

  const finish = (): void => {
    if (ended) return;
    ended = true;
    clearInterval(timer);
    stop?.();
    writer.end();
  };
  const emit = (eventId: EventId, message: JSONRPCMessage): void => {
    if (ended || sent.has(eventId)) return;
    sent.add(eventId);
    if (isStreamEnd(message)) {
      if (isPlaceholder(message)) writer.prime(eventId, undefined);
      else writer.event(JSON.stringify(message), eventId);
      finish();
    } else if (isPlaceholder(message)) writer.prime(eventId, undefined);
    else writer.event(JSON.stringify(message), eventId);
  };

  writer.onClose(finish);
  // Listening first, replaying second: an event written in between comes by both ways and is sent once.
  stop = await store.follow(options.streamId, (eventId, message) => {
    if (live !== undefined) live.push([eventId, message]);
    else emit(eventId, message);
  });
  if (ended) return stop();
  try {
    await store.replayEventsAfter(options.lastEventId, {
      send: async (eventId, message) => {
        emit(eventId, message);
        if (ended) throw STOPPED;
        if (!(await writer.drained(REPLAY_STALL_MS))) throw STOPPED;
      },
    });
  } catch (error) {
    if (error !== STOPPED) {
      finish();
      throw error;
    }
  }
  const heard = live;
  live = undefined;
  for (const [eventId, message] of heard) emit(eventId, message);
  if (ended) return;
  const orphaned = async (): Promise<void> => {
    if (ended || (await options.ownerAlive())) return;
    const eventId = await store.storeEvent(options.streamId, options.orphanAnswer);
    emit(eventId, options.orphanAnswer);
    finish();
  };
  timer = setInterval(() => void orphaned().catch(() => undefined), options.ownerCheckMs);
  timer.unref();
  await orphaned().catch(() => undefined);
}

const STOPPED = new Error('the reader left during the replay');

/** The placeholder a finished stream ends with (a cancelled request has no answer to end it). */
export const STREAM_END_MARK = { end: true } as unknown as JSONRPCMessage;

function isPlaceholder(message: JSONRPCMessage): boolean {
  return !('jsonrpc' in message);
}

/** The request's answer (the one response a POST's stream carries) or the end mark. */
function isStreamEnd(message: JSONRPCMessage): boolean {
  if (isPlaceholder(message)) return (message as { end?: unknown }).end === true;
  return !('method' in message) && ('result' in message || 'error' in message);
}
