import { Inject, Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, type Metric, Registry } from 'prom-client';
import { MCP_RESOLVED_OPTIONS } from '../mcp.constants.js';
import type { ResolvedMcpOptions } from '../mcp.options.js';
import { McpProtocolService } from '../protocol/mcp-protocol.service.js';
import type { McpRequestObserver, McpRequestOutcome } from '../protocol/request-observer.js';
import { BoundTransportMeter, type TransportMeter, type TransportMetrics } from './transport-meter.js';

/** Transport names as they appear in the `transport` label. */
export type McpTransportName = 'websocket' | 'sse' | 'stdio' | 'streamable-http' | (string & {});

type HistogramChild = ReturnType<Histogram['labels']>;
type OutcomeChildren = Record<McpRequestOutcome, HistogramChild>;

/** Seconds; MCP calls range from sub-millisecond lookups to long tool runs. */
const DURATION_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The library's Prometheus metrics: open connections per transport, sessions per protocol
 * era, refused connections by reason, messages in and out, and request durations by method
 * and outcome. Transports report through a `TransportMeter` (labels bound once); request
 * timing comes from the protocol layer's observer hook, so every transport gets it.
 */
@Injectable()
export class McpMetricsService implements McpRequestObserver {
  /** Where the metrics are registered (the route serves this registry). */
  readonly registry: Registry;
  private readonly transportMetrics: TransportMetrics;
  private readonly durations: Histogram;
  private readonly meters = new Map<string, TransportMeter>();
  private readonly durationChildren = new Map<string, Map<string, OutcomeChildren>>();

  constructor(@Inject(MCP_RESOLVED_OPTIONS) options: ResolvedMcpOptions, protocol: McpProtocolService) {
    const registry = (this.registry = options.metrics.registry ?? new Registry());
    if (options.metrics.defaultMetrics) collectDefaultMetrics({ register: registry });
    this.transportMetrics = {
      openConnections: reuse(
        registry,
        'mcp_open_connections',
        () =>
          new Gauge({
            name: 'mcp_open_connections',
            help: 'Open MCP connections (WebSocket sockets, SSE streams, stdio pipes) per transport',
            labelNames: ['transport'],
            registers: [registry],
          }),
      ),
      sessions: reuse(
        registry,
        'mcp_sessions',
        () =>
          new Gauge({
            name: 'mcp_sessions',
            help: 'Open MCP sessions per transport and protocol era (legacy: 2025-11-25 handshake, modern: 2026-07-28)',
            labelNames: ['transport', 'era'],
            registers: [registry],
          }),
      ),
      refused: reuse(
        registry,
        'mcp_connections_refused_total',
        () =>
          new Counter({
            name: 'mcp_connections_refused_total',
            help: 'Connection attempts turned away, per transport and reason',
            labelNames: ['transport', 'reason'],
            registers: [registry],
          }),
      ),
      dropped: reuse(
        registry,
        'mcp_connections_dropped_total',
        () =>
          new Counter({
            name: 'mcp_connections_dropped_total',
            help: 'Open connections the server ended because of the peer (slow-consumer: it stopped reading), per transport and reason',
            labelNames: ['transport', 'reason'],
            registers: [registry],
          }),
      ),
      messages: reuse(
        registry,
        'mcp_messages_total',
        () =>
          new Counter({
            name: 'mcp_messages_total',
            help: 'JSON-RPC messages per transport and direction (in, out)',
            labelNames: ['transport', 'direction'],
            registers: [registry],
          }),
      ),
    };
    this.durations = reuse(
      registry,
      'mcp_request_duration_seconds',
      () =>
        new Histogram({
          name: 'mcp_request_duration_seconds',
          help: 'Time from receiving an MCP request to handing its answer to the transport',
          labelNames: ['transport', 'method', 'outcome'],
          buckets: DURATION_BUCKETS,
          registers: [registry],
        }),
    );
    protocol.requestObserver = this;
  }

  /** The meter a transport reports through; one per transport name, labels bound once. */
  meter(transport: McpTransportName): TransportMeter {
    let meter = this.meters.get(transport);
    if (meter === undefined) {
      meter = new BoundTransportMeter(transport, this.transportMetrics);
      this.meters.set(transport, meter);
    }
    return meter;
  }

  /** The Prometheus text exposition of the registry. */
  scrape(): Promise<string> {
    return this.registry.metrics();
  }

  requestFinished(transport: string, method: string, outcome: McpRequestOutcome, seconds: number): void {
    let byMethod = this.durationChildren.get(transport);
    if (byMethod === undefined) {
      byMethod = new Map();
      this.durationChildren.set(transport, byMethod);
    }
    let children = byMethod.get(method);
    if (children === undefined) {
      // Only methods the protocol layer serves reach here, so the label set stays small.
      children = {
        ok: this.durations.labels(transport, method, 'ok'),
        error: this.durations.labels(transport, method, 'error'),
        cancelled: this.durations.labels(transport, method, 'cancelled'),
      };
      byMethod.set(method, children);
    }
    children[outcome].observe(seconds);
  }
}

/** A registry shared by several module instances (prom-client's global one) keeps one metric per name. */
function reuse<T extends Metric>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}
