import type { EventId, EventStore, JSONRPCMessage, StreamId } from '@modelcontextprotocol/server';

/**
 * An event store several instances write and read (`redisState()` has one on Redis Streams):
 * a client resumes with `Last-Event-ID` on any instance, and an instance serving that
 * resumption follows the events another instance still writes to the stream.
 */
export interface McpSharedEventStore extends EventStore {
  /** The stream an event id belongs to; undefined when unknown (or expired). */
  getStreamIdForEventId(eventId: EventId): Promise<StreamId | undefined>;
  /**
   * Calls `listener` with every event stored on `streamId` from now on, by any instance.
   * Resolves once listening (events stored before may or may not be handed over: replay
   * them with `replayEventsAfter` and skip the ids already seen). Call the returned function
   * to stop.
   */
  follow(
    streamId: StreamId,
    listener: (eventId: EventId, message: JSONRPCMessage) => void,
  ): Promise<() => void>;
}
