import { McpAuthError } from './auth.errors.js';

/** The fields of an authorization server's metadata (RFC 8414 / OpenID Discovery) we read. */
export interface AuthorizationServerMetadata {
  readonly issuer: string;
  readonly jwks_uri?: string;
  readonly introspection_endpoint?: string;
  readonly [field: string]: unknown;
}

const FETCH_TIMEOUT_MS = 5_000;

/**
 * Fetches the metadata of `issuer`: RFC 8414 §3.1 first (`/.well-known/oauth-authorization-server`
 * inserted between host and path), then OpenID Connect Discovery (`/.well-known/openid-configuration`,
 * inserted, then appended to the path, as the MCP authorization chapter lists them). The
 * document's `issuer` must equal `issuer` (RFC 8414 §3.3), or it is refused.
 *
 * @throws McpAuthError `verifier-unavailable` when no location answers with a matching document.
 */
export async function fetchAuthorizationServerMetadata(issuer: string): Promise<AuthorizationServerMetadata> {
  const failures: string[] = [];
  for (const url of metadataLocations(issuer)) {
    try {
      const response = await fetch(url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      });
      if (!response.ok) {
        failures.push(`${url}: HTTP ${response.status}`);
        continue;
      }
      const document = (await response.json()) as AuthorizationServerMetadata;
      if (document?.issuer !== issuer) {
        failures.push(`${url}: issuer ${String(document?.issuer)} differs`);
        continue;
      }
      return document;
    } catch (error) {
      failures.push(`${url}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw new McpAuthError(
    'verifier-unavailable',
    `Authorization server metadata of ${issuer} unavailable (${failures.join('; ')})`,
  );
}

/** Where the metadata of `issuer` may be, in the order the MCP spec has clients try them. */
export function metadataLocations(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/+$/, '');
  const origin = url.origin;
  if (path === '') {
    return [`${origin}/.well-known/oauth-authorization-server`, `${origin}/.well-known/openid-configuration`];
  }
  return [
    `${origin}/.well-known/oauth-authorization-server${path}`,
    `${origin}/.well-known/openid-configuration${path}`,
    `${origin}${path}/.well-known/openid-configuration`,
  ];
}
