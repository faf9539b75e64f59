import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { CallToolResult, Client, ListToolsResult } from '@modelcontextprotocol/client';
import { MCP_CLIENT_MODULE_OPTIONS, type McpClientModuleOptions } from './mcp-client.module-definition.js';
import { McpFallbackClient } from './mcp-fallback.client.js';
import type { TransportAttempt, TransportName } from './transport-attempt.js';

/**
 * The fallback client as a Nest provider: connects at module init (or on first use), logs
 * the transport chosen, failed attempts and reconnections, and closes on shutdown.
 */
@Injectable()
export class McpFallbackClientService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('McpClient');
  private readonly fallback: McpFallbackClient;
  private connecting: Promise<void> | undefined;

  constructor(@Inject(MCP_CLIENT_MODULE_OPTIONS) private readonly options: McpClientModuleOptions) {
    const { url, connectOnInit: _connectOnInit, ...clientOptions } = options;
    this.fallback = new McpFallbackClient(url, {
      ...clientOptions,
      onEvent: (event) => {
        if (event.type === 'attempt' && !event.attempt.ok) {
          this.logger.warn(
            `${event.attempt.transport} failed after ${event.attempt.ms} ms: ${event.attempt.reason}`,
          );
        } else if (event.type === 'connected') {
          this.logger.log(`connected to ${url} over ${event.transport} (${event.protocolVersion})`);
        } else if (event.type === 'reconnected') {
          this.logger.log(`reconnected over ${event.transport}: ${event.detail}`);
        } else if (event.type === 'reconnect-failed') {
          this.logger.error(`lost ${event.transport}: ${event.reason}`);
        }
        clientOptions.onEvent?.(event);
      },
    });
  }

  async onModuleInit(): Promise<void> {
    if (this.options.connectOnInit !== false) await this.ready();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.fallback.close();
  }

  /** Resolves once connected (connecting on the first call). */
  ready(): Promise<void> {
    this.connecting ??= this.fallback.connect();
    return this.connecting;
  }

  /** The SDK client, for everything beyond tools (resources, prompts, handlers). */
  get client(): Client {
    return this.fallback.client;
  }

  get transportName(): TransportName | undefined {
    return this.fallback.transportName;
  }

  get attempts(): readonly TransportAttempt[] {
    return this.fallback.attempts;
  }

  async callTool(name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
    await this.ready();
    return this.fallback.callTool(name, args);
  }

  async listTools(): Promise<ListToolsResult> {
    await this.ready();
    return this.fallback.listTools();
  }
}
