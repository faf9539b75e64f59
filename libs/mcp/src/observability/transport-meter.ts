import type { Counter, Gauge } from 'prom-client';
import type { McpProtocolEra } from '../protocol/mcp-context.js';

/**
 * What a transport reports, with every label already bound, so a call is one increment
 * (no label lookup, no allocation). Get one per transport from `McpMetricsService.meter()`.
 */
export interface TransportMeter {
  /** A connection (socket, SSE stream, stdio pipe) opened. */
  opened(): void;
  /** That connection closed, whatever the reason. */
  closed(): void;
  /** A connection attempt was turned away (`reason`: origin, host, guard, capacity, ...). */
  refused(reason: string): void;
  /** An open connection was ended by the server because of its peer (`reason`: slow-consumer, ...). */
  dropped(reason: string): void;
  messageIn(): void;
  messageOut(): void;
  /** The connection's protocol era became known: it is a session of that era from now on. */
  sessionOpened(era: McpProtocolEra): void;
  sessionClosed(era: McpProtocolEra): void;
}

type CounterChild = ReturnType<Counter['labels']>;
type GaugeChild = ReturnType<Gauge['labels']>;

/** The metrics a meter writes to. */
export interface TransportMetrics {
  readonly openConnections: Gauge;
  readonly messages: Counter;
  readonly sessions: Gauge;
  readonly refused: Counter;
  readonly dropped: Counter;
}

/** The meter of one transport over the service's metrics. */
export class BoundTransportMeter implements TransportMeter {
  private readonly open: GaugeChild;
  private readonly inbound: CounterChild;
  private readonly outbound: CounterChild;
  private readonly sessions: Record<McpProtocolEra, GaugeChild>;
  private readonly refusals = new Map<string, CounterChild>();
  private readonly drops = new Map<string, CounterChild>();

  constructor(
    private readonly transport: string,
    private readonly metrics: TransportMetrics,
  ) {
    this.open = metrics.openConnections.labels(transport);
    this.inbound = metrics.messages.labels(transport, 'in');
    this.outbound = metrics.messages.labels(transport, 'out');
    this.sessions = {
      legacy: metrics.sessions.labels(transport, 'legacy'),
      modern: metrics.sessions.labels(transport, 'modern'),
    };
  }

  opened(): void {
    this.open.inc();
  }

  closed(): void {
    this.open.dec();
  }

  refused(reason: string): void {
    this.reasonChild(this.refusals, this.metrics.refused, reason).inc();
  }

  dropped(reason: string): void {
    this.reasonChild(this.drops, this.metrics.dropped, reason).inc();
  }

  messageIn(): void {
    this.inbound.inc();
  }

  messageOut(): void {
    this.outbound.inc();
  }

  sessionOpened(era: McpProtocolEra): void {
    this.sessions[era].inc();
  }

  sessionClosed(era: McpProtocolEra): void {
    this.sessions[era].dec();
  }

  /** The counter child for a reason label, bound on first use (reasons are a small fixed set). */
  private reasonChild(children: Map<string, CounterChild>, counter: Counter, reason: string): CounterChild {
    let child = children.get(reason);
    if (child === undefined) {
      child = counter.labels(this.transport, reason);
      children.set(reason, child);
    }
    return child;
  }
}

/** The meter when metrics are off: every call is a no-op. */
export const NO_METER: TransportMeter = {
  opened() {},
  closed() {},
  refused() {},
  dropped() {},
  messageIn() {},
  messageOut() {},
  sessionOpened() {},
  sessionClosed() {},
};
