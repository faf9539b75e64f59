import type { Redis } from 'ioredis';

type ChannelListener = (message: string) => void;

/**
 * Channels subscribed on demand on the subscribed connection (an SSE stream followed for a
 * while), shared by the listeners of one channel: the first listener subscribes, the last
 * one leaving unsubscribes. ioredis subscribes them again after a reconnection.
 */
export class RedisChannels {
  private readonly listeners = new Map<string, Set<ChannelListener>>();

  constructor(private readonly subscriber: () => Redis | undefined) {}

  /** Listens on `channel`; resolves once subscribed, with the function that stops listening. */
  async listen(channel: string, listener: ChannelListener): Promise<() => void> {
    let set = this.listeners.get(channel);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(channel, set);
      set.add(listener);
      const subscriber = this.subscriber();
      if (subscriber === undefined) throw new Error('Redis is not connected');
      await subscriber.subscribe(channel);
    } else {
      set.add(listener);
    }
    return () => {
      const current = this.listeners.get(channel);
      if (current === undefined || !current.delete(listener) || current.size > 0) return;
      this.listeners.delete(channel);
      this.subscriber()
        ?.unsubscribe(channel)
        .catch(() => undefined);
    };
  }

  /** A message on a channel; false when nobody listens on it here. */
  dispatch(channel: string, message: string): boolean {
    const set = this.listeners.get(channel);
    if (set === undefined) return false;
    for (const listener of set) listener(message);
    return true;
  }
}
