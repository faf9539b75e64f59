import type { Readable, Writable } from 'node:stream';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { MCP_RESOLVED_OPTIONS } from '../../mcp.constants.js';
import type { ResolvedMcpOptions } from '../../mcp.options.js';
import { McpMetricsService } from '../../observability/mcp-metrics.service.js';
import type { TransportMeter } from '../../observability/transport-meter.js';
import { McpProtocolService } from '../../protocol/mcp-protocol.service.js';
import type { McpConnection } from '../../protocol/mcp-connection.interface.js';
import { StdioTransport } from './stdio.transport.js';

export interface McpStdioServeOptions {
  /**
   * When the input ends, requests still running are cancelled (their `signal` aborts) and
   * given this long to answer before the connection closes. Default 2,000 ms.
   */
  shutdownGraceMs?: number;
}

const DEFAULT_SHUTDOWN_GRACE_MS = 2000;

/**
 * Serves the app's MCP handlers over stdin/stdout (newline-delimited JSON), either protocol
 * era: the client's first message decides. Use `bootstrapStdio()` to run a whole app this way.
 */
@Injectable()
export class McpStdioServer implements OnApplicationShutdown {
  private readonly logger = new Logger('McpStdio');
  private readonly active = new Set<{ connection: McpConnection; transport: StdioTransport }>();

  private readonly meter: TransportMeter;

  constructor(
    private readonly protocol: McpProtocolService,
    @Inject(MCP_RESOLVED_OPTIONS) private readonly options: ResolvedMcpOptions,
    metrics: McpMetricsService,
  ) {
    this.meter = metrics.meter('stdio');
  }

  /**
   * Serves one client on `input`/`output` until the input ends (or `close()` is called);
   * resolves once the connection is closed and everything written was flushed, so the caller
   * can close the app and exit with code 0.
   */
  async serve(
    input: Readable = process.stdin,
    output: Writable = process.stdout,
    options: McpStdioServeOptions = {},
  ): Promise<void> {
    const transport = new StdioTransport(input, output, this.options.limits.maxMessageBytes, this.meter);
    // oxlint-disable-next-line unicorn/prefer-add-event-listener -- the SDK Transport shape has handler properties, not events
    transport.onerror = (error) => this.logger.warn(`stdio stream error: ${error.message}`);
    const connection = await this.protocol.connect(transport, { transport: 'stdio' });
    transport.bindConnection(connection);
    const session = { connection, transport };
    this.active.add(session);
    this.meter.opened();
    try {
      await transport.inputEnded;
      await connection.shutdown(options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS);
    } finally {
      this.active.delete(session);
      this.meter.closed();
    }
  }

  /** Ends every stdio connection being served; each `serve()` call then resolves. */
  async close(graceMs = DEFAULT_SHUTDOWN_GRACE_MS): Promise<void> {
    await Promise.all([...this.active].map(({ connection }) => connection.shutdown(graceMs)));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}
