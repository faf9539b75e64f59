import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { MCP_CATALOG, MCP_RESOLVED_OPTIONS } from '../mcp.constants.js';
import type { ResolvedMcpOptions } from '../mcp.options.js';
import type { McpCatalog } from '../registry/registry-entries.js';
import type { ResolvedMcpAuthOptions } from './auth.options.js';
import { metadataPathsOf, type ProtectedResourceMetadata } from './protected-resource-metadata.js';

/**
 * Serves the Protected Resource Metadata document (RFC 9728) when `auth` is set, on Express
 * and Fastify alike: at the path-suffixed well-known location of `auth.resource` and at the
 * bare `/.well-known/oauth-protected-resource`. Registered on the HTTP adapter directly, not as
 * a Nest controller, because a well-known URI lives at the root of the host: the app's global
 * prefix must not move it (it is already part of the resource's path, after the suffix).
 * The document is public, so any origin may read it (browser-based clients discover with it).
 */
@Injectable()
export class ProtectedResourceMetadataRoute implements OnModuleInit {
  private readonly logger = new Logger('McpAuth');

  constructor(
    @Inject(MCP_RESOLVED_OPTIONS) private readonly options: ResolvedMcpOptions,
    @Inject(MCP_CATALOG) private readonly catalog: McpCatalog,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    const auth = this.options.auth;
    const adapter = this.adapterHost.httpAdapter as typeof this.adapterHost.httpAdapter | undefined;
    // No HTTP adapter: a stdio-only application context, which has no bearer tokens either.
    if (auth === undefined || adapter === undefined || adapter === null) return;
    const paths = metadataPathsOf(auth.resource);
    for (const path of paths) {
      adapter.get(path, (_request: unknown, response: unknown) => {
        adapter.setHeader(response, 'cache-control', 'public, max-age=300');
        adapter.setHeader(response, 'access-control-allow-origin', '*');
        adapter.reply(response, this.document(auth), 200);
      });
    }
    this.logger.log(`Protected resource metadata served on ${paths.join(', ')}`);
  }

  /** Built per request: `scopes_supported` follows tools registered at runtime. */
  document(auth: ResolvedMcpAuthOptions): ProtectedResourceMetadata {
    return {
      ...auth.metadata,
      resource: auth.resource,
      authorization_servers: auth.authorizationServers,
      scopes_supported: auth.scopesSupported ?? this.knownScopes(auth),
      bearer_methods_supported: ['header'],
      ...(auth.resourceName !== undefined && { resource_name: auth.resourceName }),
      ...(auth.resourceDocumentation !== undefined && { resource_documentation: auth.resourceDocumentation }),
    };
  }

  private knownScopes(auth: ResolvedMcpAuthOptions): string[] {
    const scopes = new Set(auth.defaultScopes);
    const entries = [
      ...this.catalog.listTools(),
      ...this.catalog.listResources(),
      ...this.catalog.listTemplates(),
      ...this.catalog.listPrompts(),
    ];
    for (const entry of entries) for (const scope of entry.scopes ?? []) scopes.add(scope);
    return [...scopes];
  }
}
