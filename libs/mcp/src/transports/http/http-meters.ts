import type { TransportMeter } from '../../observability/transport-meter.js';

/**
 * The Streamable HTTP binding's two meters, bound once by the service and handed to what
 * writes responses. `http` (transport `streamable-http`) counts refusals, messages in and out
 * and 2025 sessions; `sse` counts the event streams open now, whichever request opened them
 * (a POST that streams, a GET stream, a resumption), because on HTTP a stream, not a session,
 * is what holds a connection open.
 */
export interface HttpMeters {
  readonly http: TransportMeter;
  readonly sse: TransportMeter;
}
