import { Module } from '@nestjs/common';
import { McpClientConfigurableModule } from './mcp-client.module-definition.js';
import { McpFallbackClientService } from './mcp-fallback-client.service.js';

/**
 * Provides {@link McpFallbackClientService} for one MCP server:
 * `McpClientModule.register({ url: 'https://notes.example.com/mcp' })`, or `registerAsync`.
 */
@Module({ providers: [McpFallbackClientService], exports: [McpFallbackClientService] })
export class McpClientModule extends McpClientConfigurableModule {}
