import { InMemoryServerEventBus, type ServerEvent } from '@modelcontextprotocol/server';
import type { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { McpChangeBus } from '../state/change-bus.js';

/** What travels on the channel: the sender's instance id and the event. */
interface BusMessage {
  readonly i: string;
  readonly e: ServerEvent;
}

/** The events a client answers by refetching its lists: what is sent after an outage. */
const LISTS_MAY_HAVE_CHANGED: readonly ServerEvent[] = [
  { kind: 'tools_list_changed' },
  { kind: 'resources_list_changed' },
  { kind: 'prompts_list_changed' },
];

/**
 * The change bus on Redis pub/sub: one channel per fleet (the key prefix), every message tagged
 * with the sender's instance id. `publish` serves this instance's listeners at once, then
 * sends the event to the others; a message coming back from Redis with our own id is dropped,
 * so no listener hears an event twice. While Redis is away remote delivery fails (logged) and
 * local delivery goes on; when it is back, `resync` tells local listeners that every list may
 * have changed, since events of that time are lost.
 */
export class RedisChangeBus implements McpChangeBus {
  private readonly local: InMemoryServerEventBus;

  constructor(
    /** The publishing connection; undefined until connected (then events stay local). */
    private readonly publisher: () => Redis | undefined,
    private readonly channel: string,
    private readonly instanceId: string,
    private readonly logger: Logger,
  ) {
    this.local = new InMemoryServerEventBus((error) =>
      this.logger.error(`A change listener threw: ${error.message}`, error.stack),
    );
  }

  publish(event: ServerEvent): void {
    this.local.publish(event);
    const message: BusMessage = { i: this.instanceId, e: event };
    const publisher = this.publisher();
    if (publisher === undefined) return;
    publisher.publish(this.channel, JSON.stringify(message)).catch((error: unknown) => {
      this.logger.warn(
        `Change event ${event.kind} reached this instance only: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
  }

  publishLocal(event: ServerEvent): void {
    this.local.publish(event);
  }

  subscribe(listener: (event: ServerEvent) => void): () => void {
    return this.local.subscribe(listener);
  }

  /** A message from the channel. Malformed ones are dropped: the channel is not ours alone. */
  receive(raw: string): void {
    let message: BusMessage;
    try {
      message = JSON.parse(raw) as BusMessage;
    } catch {
      return;
    }
    if (message?.i === this.instanceId || typeof message?.e?.kind !== 'string') return;
    this.local.publish(message.e);
  }

  /** After an outage: local listeners refetch their lists. */
  resync(): void {
    for (const event of LISTS_MAY_HAVE_CHANGED) this.local.publish(event);
  }

  get listenerCount(): number {
    return this.local.listenerCount;
  }
}
