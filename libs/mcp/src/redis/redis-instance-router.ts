import type { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { McpInstanceRouter } from '../state/instance-router.js';
import { McpStateUnavailableError } from '../state/state-unavailable.error.js';

/** What travels on a routing channel: sender, topic, body. */
interface RoutedMessage {
  readonly f: string;
  readonly t: string;
  readonly b: unknown;
}

/**
 * Instance-to-instance messages on Redis pub/sub: a channel per instance
 * (`<prefix>route:<id>`) and one broadcast channel (`<prefix>route`), every message tagged
 * with its sender so an instance drops its own broadcasts. Liveness: each instance renews a
 * key `<prefix>alive:<id>` expiring after `ttlMs`, every third of it, and deletes it when it
 * closes; an instance killed without closing is dead for the others once the key expired.
 */
export class RedisInstanceRouter implements McpInstanceRouter {
  private readonly listeners = new Map<string, Set<(body: unknown, from: string) => void>>();
  private renewal: NodeJS.Timeout | undefined;

  constructor(
    private readonly connection: () => Redis | undefined,
    private readonly prefix: string,
    readonly instanceId: string,
    private readonly ttlMs: number,
    private readonly logger: Logger,
  ) {}

  /** The channels to subscribe: this instance's own and the broadcast. */
  get channels(): [string, string] {
    return [`${this.prefix}route:${this.instanceId}`, `${this.prefix}route`];
  }

  async send(topic: string, body: unknown, to?: string): Promise<void> {
    const redis = this.connection();
    if (redis?.status !== 'ready') {
      throw new McpStateUnavailableError(`Redis is ${redis?.status ?? 'not connected'}; ${topic} not sent`);
    }
    const message: RoutedMessage = { f: this.instanceId, t: topic, b: body };
    try {
      await redis.publish(
        to === undefined ? `${this.prefix}route` : `${this.prefix}route:${to}`,
        JSON.stringify(message),
      );
    } catch (error) {
      throw new McpStateUnavailableError(`${topic} not sent`, error);
    }
  }

  on(topic: string, listener: (body: unknown, from: string) => void): void {
    let set = this.listeners.get(topic);
    if (set === undefined) this.listeners.set(topic, (set = new Set()));
    set.add(listener);
  }

  /** A message from one of `channels`. */
  receive(raw: string): void {
    let message: RoutedMessage;
    try {
      message = JSON.parse(raw) as RoutedMessage;
    } catch {
      return;
    }
    if (message.f === this.instanceId || typeof message.t !== 'string') return;
    for (const listener of this.listeners.get(message.t) ?? []) {
      try {
        listener(message.b, message.f);
      } catch (error) {
        this.logger.error(
          `A ${message.t} listener threw`,
          error instanceof Error ? error.stack : String(error),
        );
      }
    }
  }

  async isAlive(instanceId: string): Promise<boolean> {
    if (instanceId === this.instanceId) return true;
    const redis = this.connection();
    // Redis away: nobody can be declared dead (and nothing could be written about it).
    if (redis?.status !== 'ready') return true;
    try {
      return (await redis.exists(this.aliveKey(instanceId))) === 1;
    } catch {
      return true;
    }
  }

  /** Starts renewing this instance's liveness key. */
  async start(): Promise<void> {
    await this.renew();
    this.renewal = setInterval(() => void this.renew(), Math.max(50, Math.floor(this.ttlMs / 3)));
    this.renewal.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.renewal);
    this.renewal = undefined;
    const redis = this.connection();
    if (redis?.status === 'ready') await redis.del(this.aliveKey(this.instanceId)).catch(() => undefined);
  }

  private async renew(): Promise<void> {
    const redis = this.connection();
    if (redis?.status !== 'ready') return;
    await redis.set(this.aliveKey(this.instanceId), '1', 'PX', this.ttlMs).catch(() => undefined);
  }

  private aliveKey(instanceId: string): string {
    return `${this.prefix}alive:${instanceId}`;
  }
}
