import { WsCloseCode, WsCloseReason } from './websocket-close-codes.js';
import type { WebSocketTransport } from './websocket.transport.js';

export interface SupervisorTimings {
  /** 0 disables heartbeats. */
  readonly heartbeatIntervalMs: number;
  /** 0 disables the idle timeout. */
  readonly idleTimeoutMs: number;
}

/**
 * Heartbeats and idle timeouts for every socket of a gateway with ONE timer, rather than
 * timers per socket: each sweep pings live peers, terminates those that did not answer the
 * previous ping, and closes sockets idle past the timeout (1000) that have nothing in flight.
 * Transports record activity as a sweep count (`tick`), so a frame costs no clock read.
 */
export class ConnectionSupervisor {
  /** Sweeps so far; transports stamp their last inbound frame with it. */
  tick = 0;
  private readonly transports = new Set<WebSocketTransport>();
  private readonly periodMs: number;
  private readonly pingEveryTicks: number;
  private readonly idleTicks: number;
  private timer: NodeJS.Timeout | undefined;

  constructor(timings: SupervisorTimings) {
    const { heartbeatIntervalMs, idleTimeoutMs } = timings;
    const candidates = [heartbeatIntervalMs, Math.ceil(idleTimeoutMs / 4)].filter((ms) => ms > 0);
    this.periodMs = candidates.length === 0 ? 0 : Math.max(10, Math.min(...candidates));
    this.pingEveryTicks =
      heartbeatIntervalMs > 0 ? Math.max(1, Math.round(heartbeatIntervalMs / this.periodMs)) : 0;
    this.idleTicks = idleTimeoutMs > 0 ? Math.max(1, Math.ceil(idleTimeoutMs / this.periodMs)) : 0;
  }

  get size(): number {
    return this.transports.size;
  }

  all(): IterableIterator<WebSocketTransport> {
    return this.transports.values();
  }

  add(transport: WebSocketTransport): void {
    this.transports.add(transport);
    if (this.timer === undefined && this.periodMs > 0) {
      this.timer = setInterval(() => this.sweep(), this.periodMs);
      this.timer.unref();
    }
  }

  delete(transport: WebSocketTransport): void {
    this.transports.delete(transport);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private sweep(): void {
    const tick = ++this.tick;
    const ping = this.pingEveryTicks > 0 && tick % this.pingEveryTicks === 0;
    for (const transport of this.transports) {
      if (ping) {
        if (!transport.alive) {
          transport.terminate();
          continue;
        }
        transport.alive = false;
        transport.socket.ping();
      }
      if (
        this.idleTicks > 0 &&
        tick - transport.lastActivityTick >= this.idleTicks &&
        (transport.connection?.inFlight ?? 0) === 0
      ) {
        transport.end(WsCloseCode.Normal, WsCloseReason.IdleTimeout);
      }
    }
  }
}
