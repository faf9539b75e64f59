import type { IntrospectionTokenVerifierOptions } from './introspection-token.verifier.js';
import { IntrospectionTokenVerifier } from './introspection-token.verifier.js';
import type { JwtTokenVerifierOptions } from './jwt-token.verifier.js';
import { JwtTokenVerifier } from './jwt-token.verifier.js';
import { assertCanonicalResource, metadataUrlOf } from './protected-resource-metadata.js';
import type { McpTokenVerifier } from './token-verifier.interface.js';

/**
 * Resource-server mode (`McpModule` option `auth`): the MCP route becomes an OAuth 2.1
 * protected resource as the MCP authorization chapter (2026-07-28) defines it. Every request
 * on every network transport (Streamable HTTP, polling, the WebSocket Upgrade) must carry
 * `Authorization: Bearer <token>` for this resource; stdio is not affected (the spec has
 * stdio servers take credentials from their environment).
 */
export interface McpAuthOptions {
  /**
   * The canonical URI of this MCP server (RFC 8707 §2, e.g. `https://mcp.example.com/mcp`, the
   * global prefix included): the audience tokens must be issued for, and the `resource` of the
   * metadata document. Required.
   */
  resource: string;
  /** Issuer identifiers of the authorization servers clients may get tokens from (RFC 9728 `authorization_servers`). Required. */
  authorizationServers: string[];
  /** Scopes this resource knows (`scopes_supported`). Default: every scope named by `defaultScopes` and the handlers. */
  scopesSupported?: string[];
  /**
   * Scopes required by the tools, resources and prompts that declare none (`@McpScopes` or
   * `scopes`). Default `[]`: a valid token for this resource suffices.
   */
  defaultScopes?: string[];
  /**
   * The `scope` of the plain 401 challenge (no token yet): what a client should ask for first.
   * Default: `defaultScopes` when not empty, else `scopesSupported` when given, else none.
   */
  challengeScopes?: string[];
  /**
   * Leave out of `tools/list`, `resources/list`, `resources/templates/list` and `prompts/list`
   * what the caller's scopes do not allow. Default false: lists show everything and a call
   * without the scopes gets the step-up challenge.
   */
  hideUnauthorized?: boolean;
  /**
   * How tokens are checked, one of:
   * - `jwt`: JWT access tokens against the issuer's JWKS (default, with `issuer` = the first
   *   authorization server and `audience` = `resource`);
   * - `introspection`: RFC 7662 token introspection;
   * - `verifier`: your own `McpTokenVerifier`.
   */
  jwt?: Partial<JwtTokenVerifierOptions>;
  introspection?: Omit<IntrospectionTokenVerifierOptions, 'issuer'> & { issuer?: string };
  verifier?: McpTokenVerifier;
  /** Verified tokens kept until they expire, at most this many. 0 disables the cache. Default 10,000. */
  cacheMaxEntries?: number;
  /** How long a verified token without `exp` is trusted before it is verified again, in ms. Default 60,000. */
  cacheTtlWithoutExpiryMs?: number;
  /** `resource_name` of the metadata document (human-readable). */
  resourceName?: string;
  /** `resource_documentation` of the metadata document (a URL). */
  resourceDocumentation?: string;
  /** More fields of the metadata document (RFC 9728 §2), e.g. `{ dpop_bound_access_tokens_required: false }`. */
  metadata?: Record<string, unknown>;
}

export type ResolvedMcpAuthOptions = Readonly<{
  resource: string;
  authorizationServers: readonly string[];
  scopesSupported: readonly string[] | undefined;
  defaultScopes: readonly string[];
  challengeScopes: readonly string[];
  hideUnauthorized: boolean;
  verifier: McpTokenVerifier;
  cacheMaxEntries: number;
  cacheTtlWithoutExpiryMs: number;
  resourceMetadataUrl: string;
  resourceName: string | undefined;
  resourceDocumentation: string | undefined;
  metadata: Readonly<Record<string, unknown>>;
}>;

/** Checks and completes `auth` at start-up. @throws Error naming the misconfiguration. */
export function resolveAuthOptions(auth: McpAuthOptions | undefined): ResolvedMcpAuthOptions | undefined {
  if (auth === undefined) return undefined;
  assertCanonicalResource(auth.resource);
  if (!Array.isArray(auth.authorizationServers) || auth.authorizationServers.length === 0) {
    throw new Error('McpModule: auth.authorizationServers must name at least one issuer');
  }
  const chosen = [auth.jwt, auth.introspection, auth.verifier].filter((item) => item !== undefined);
  if (chosen.length > 1) {
    throw new Error('McpModule: set one of auth.jwt, auth.introspection and auth.verifier, not several');
  }
  const issuer = auth.authorizationServers[0]!;
  const defaultScopes = auth.defaultScopes ?? [];
  return {
    resource: auth.resource,
    authorizationServers: auth.authorizationServers,
    scopesSupported: auth.scopesSupported,
    defaultScopes,
    challengeScopes:
      auth.challengeScopes ?? (defaultScopes.length > 0 ? defaultScopes : (auth.scopesSupported ?? [])),
    hideUnauthorized: auth.hideUnauthorized ?? false,
    verifier:
      auth.verifier ??
      (auth.introspection !== undefined
        ? new IntrospectionTokenVerifier({
            ...auth.introspection,
            issuer: auth.introspection.issuer ?? issuer,
            audience: auth.introspection.audience ?? auth.resource,
          })
        : new JwtTokenVerifier({
            ...auth.jwt,
            issuer: auth.jwt?.issuer ?? issuer,
            audience: auth.jwt?.audience ?? auth.resource,
          })),
    cacheMaxEntries: auth.cacheMaxEntries ?? 10_000,
    cacheTtlWithoutExpiryMs: auth.cacheTtlWithoutExpiryMs ?? 60_000,
    resourceMetadataUrl: metadataUrlOf(auth.resource),
    resourceName: auth.resourceName,
    resourceDocumentation: auth.resourceDocumentation,
    metadata: auth.metadata ?? {},
  };
}
