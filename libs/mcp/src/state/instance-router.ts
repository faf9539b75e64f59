/**
 * Messages between the instances of a fleet (`redisState()` has one on Redis pub/sub), as the
 * socket.io Redis adapter has them: each instance listens on its own address and on a
 * broadcast, every message carries its sender, and an instance never hears its own
 * broadcasts. Used where a message lands on one instance and belongs to another: a client's
 * answer to a server request, a cancellation, the end of a session.
 *
 * Delivery is at most once (pub/sub): a message to an instance that is gone is dropped, so
 * what must not be lost is written to a store first and only announced here.
 */
export interface McpInstanceRouter {
  /** This instance's address: short, letters and digits only (it is embedded in ids). */
  readonly instanceId: string;
  /** Sends `body` (JSON) on `topic` to instance `to`, or to every other instance when `to` is undefined. */
  send(topic: string, body: unknown, to?: string): Promise<void>;
  /** Hands `listener` the messages on `topic` from other instances. */
  on(topic: string, listener: (body: unknown, from: string) => void): void;
  /**
   * Whether instance `instanceId` is still running: it renews a liveness mark while it
   * runs, so an instance killed without a goodbye is known dead within the mark's lifetime.
   */
  isAlive(instanceId: string): Promise<boolean>;
}
