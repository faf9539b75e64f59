import type { PollingChannelTransport } from './polling-channel.transport.js';
import { type PrincipalKey, sameOwner } from './polling-principal.js';

/**
 * The open polling channels of this instance: lookup by `Mcp-Channel-Id` and principal, the capacity
 * bound, and the idle timeout, with one sweep timer for every channel rather than one each.
 * A channel with a poll parked is never idle: its client is there.
 */
export class PollingChannelRegistry {
  private readonly channels = new Map<string, PollingChannelTransport>();
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly maxChannels: number,
    private readonly idleTimeoutMs: number,
    private readonly endIdle: (channel: PollingChannelTransport) => void,
  ) {}

  get size(): number {
    return this.channels.size;
  }

  get atCapacity(): boolean {
    return this.channels.size >= this.maxChannels;
  }

  /**
   * The channel with this id if `principal` opened it. Someone else's channel is reported as
   * missing, not forbidden: a stranger learns nothing, not even that the id is in use.
   */
  get(channelId: string, principal: PrincipalKey): PollingChannelTransport | undefined {
    const channel = this.channels.get(channelId);
    return channel !== undefined && sameOwner(channel.principal, principal) ? channel : undefined;
  }

  add(channel: PollingChannelTransport): void {
    this.channels.set(channel.channelId, channel);
    if (this.sweeper === undefined && this.idleTimeoutMs > 0) {
      const period = Math.max(10, Math.min(Math.ceil(this.idleTimeoutMs / 4), 10_000));
      this.sweeper = setInterval(() => this.sweep(), period);
      this.sweeper.unref();
    }
  }

  delete(channel: PollingChannelTransport): void {
    if (this.channels.get(channel.channelId) === channel) this.channels.delete(channel.channelId);
    if (this.channels.size === 0) this.stop();
  }

  all(): PollingChannelTransport[] {
    return [...this.channels.values()];
  }

  stop(): void {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  private sweep(): void {
    const deadline = Date.now() - this.idleTimeoutMs;
    for (const channel of this.channels.values()) {
      if (!channel.isPolled && channel.lastActivity < deadline) this.endIdle(channel);
    }
  }
}
