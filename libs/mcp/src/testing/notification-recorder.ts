import type { JSONRPCMessage, JSONRPCNotification } from '@modelcontextprotocol/client';

/** A server notification as it arrived: `notifications/progress`, `notifications/message`, ... */
export type RecordedNotification = Pick<JSONRPCNotification, 'method' | 'params'>;

interface Waiter {
  readonly matches: (notification: RecordedNotification) => boolean;
  readonly resolve: (notification: RecordedNotification) => void;
}

/**
 * Keeps every notification the server sends, in order, as the server side of the in-memory
 * pair hands it over: a spec sees what went over the wire whatever handlers the SDK client
 * has registered, and everything sent before a result is recorded when the call resolves.
 */
export class NotificationRecorder {
  readonly received: RecordedNotification[] = [];
  private waiters: Waiter[] = [];

  /** Records `message` if it is a notification (requests and responses are not kept). */
  record(message: JSONRPCMessage): void {
    if (!('method' in message) || 'id' in message) return;
    const notification: RecordedNotification = {
      method: message.method,
      ...(message.params !== undefined && { params: message.params }),
    };
    this.received.push(notification);
    for (const waiter of this.waiters.filter((candidate) => candidate.matches(notification))) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve(notification);
    }
  }

  /**
   * The first notification with `method` (already received or still to come) that `matches`.
   * @throws Error naming the method and what did arrive, after `timeoutMs`.
   */
  waitFor(
    method: string,
    timeoutMs: number,
    matches: (notification: RecordedNotification) => boolean = () => true,
  ): Promise<RecordedNotification> {
    const wanted = (notification: RecordedNotification) =>
      notification.method === method && matches(notification);
    const found = this.received.find(wanted);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        matches: wanted,
        resolve: (notification) => {
          clearTimeout(timer);
          resolve(notification);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        const seen = this.received.map((notification) => notification.method).join(', ') || 'none';
        reject(new Error(`no ${method} notification within ${timeoutMs} ms (received: ${seen})`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }
}
