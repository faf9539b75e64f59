/**
 * The OAuth 2.0 Protected Resource Metadata document of this server (RFC 9728) and where it is
 * served. The MCP authorization chapter requires it: clients find the authorization server
 * from it, either by the `resource_metadata` URL of a 401 challenge or by the well-known URI.
 */
export interface ProtectedResourceMetadata {
  /** The canonical URI of this MCP server (RFC 8707 §2): the audience of its tokens. */
  readonly resource: string;
  readonly authorization_servers: readonly string[];
  readonly scopes_supported?: readonly string[];
  /** Always `["header"]`: tokens in the query string or the body are not accepted. */
  readonly bearer_methods_supported: readonly string[];
  readonly resource_name?: string;
  readonly resource_documentation?: string;
  readonly [field: string]: unknown;
}

/** RFC 9728 §3: the well-known suffix registered for protected resources. */
export const PROTECTED_RESOURCE_WELL_KNOWN = '/.well-known/oauth-protected-resource';

/**
 * RFC 9728 §3.1: the metadata URL of `resource` is the well-known suffix inserted between the
 * host and the path (`https://h/api/mcp` → `https://h/.well-known/oauth-protected-resource/api/mcp`),
 * query kept. The well-known path is at the host's root whatever the app's global prefix: the
 * prefix is part of the resource's own path, so it ends up after the suffix, not before it.
 */
export function metadataUrlOf(resource: string): string {
  const url = new URL(resource);
  const path = url.pathname === '/' ? '' : url.pathname;
  return `${url.origin}${PROTECTED_RESOURCE_WELL_KNOWN}${path}${url.search}`;
}

/**
 * The request paths the document is served on: the path-suffixed location of the resource
 * (what `metadataUrlOf` names) and, for clients that try the root first (the MCP spec's
 * fallback order ends there), the bare well-known path.
 */
export function metadataPathsOf(resource: string): string[] {
  const suffixed = new URL(metadataUrlOf(resource)).pathname;
  return suffixed === PROTECTED_RESOURCE_WELL_KNOWN ? [suffixed] : [suffixed, PROTECTED_RESOURCE_WELL_KNOWN];
}

/**
 * Checks a canonical resource URI as RFC 8707 §2 and the MCP spec define it: absolute, `https`
 * (or `http` on a loopback host, for development), no fragment.
 *
 * @throws Error naming the problem, at start-up.
 */
export function assertCanonicalResource(resource: string): void {
  let url: URL;
  try {
    url = new URL(resource);
  } catch {
    throw new Error(`McpModule: auth.resource must be an absolute URI, got "${resource}"`);
  }
  if (url.hash !== '' || resource.includes('#')) {
    throw new Error(`McpModule: auth.resource must not have a fragment (RFC 8707 §2), got "${resource}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`McpModule: auth.resource must be an https URI, got "${resource}"`);
  }
}
