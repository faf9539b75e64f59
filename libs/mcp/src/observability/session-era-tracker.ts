import type { McpConnection } from '../protocol/mcp-connection.interface.js';
import type { McpProtocolEra } from '../protocol/mcp-context.js';
import type { TransportMeter } from './transport-meter.js';

/**
 * Counts one bidirectional connection (stdio pipe, polling channel) as a session of its
 * protocol era. The era is decided by the connection's first message, so the transport
 * calls `observe()` after handing each inbound message to the protocol layer, and `end()`
 * when the connection closes.
 */
export class SessionEraTracker {
  private era: McpProtocolEra | undefined;

  constructor(private readonly meter: TransportMeter) {}

  observe(connection: McpConnection | undefined): void {
    if (this.era !== undefined || connection?.era === undefined) return;
    this.era = connection.era;
    this.meter.sessionOpened(this.era);
  }

  end(): void {
    if (this.era === undefined) return;
    this.meter.sessionClosed(this.era);
    this.era = undefined;
  }
}
