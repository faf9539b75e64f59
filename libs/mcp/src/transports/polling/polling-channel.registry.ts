import { IdleConnectionRegistry } from '../idle-connection-registry.js';
import type { PollingChannelTransport } from './polling-channel.transport.js';
import { type PrincipalKey, sameOwner } from './polling-principal.js';

/**
 * The open polling channels of this instance: lookup by `Mcp-Channel-Id` and principal, the capacity
 * bound, and the idle timeout, with one sweep timer for every channel rather than one each.
 * A channel with a poll parked is never idle: its client is there.
 */
export class PollingChannelRegistry extends IdleConnectionRegistry<PollingChannelTransport> {
  constructor(
    maxChannels: number,
    idleTimeoutMs: number,
    endIdle: (channel: PollingChannelTransport) => void,
  ) {
    super({
      capacity: maxChannels,
      idleTimeoutMs,
      sweepPeriodMs: Math.max(10, Math.min(Math.ceil(idleTimeoutMs / 4), 10_000)),
      keyOf: (channel) => channel.channelId,
      mayIdle: (channel) => !channel.isPolled,
      onIdle: endIdle,
    });
  }

  /**
   * The channel with this id if `principal` opened it. Someone else's channel is reported as
   * missing, not forbidden: a stranger learns nothing, not even that the id is in use.
   */
  get(channelId: string, principal: PrincipalKey): PollingChannelTransport | undefined {
    const channel = this.find(channelId);
    return channel !== undefined && sameOwner(channel.principal, principal) ? channel : undefined;
  }
}
