import type { McpPrincipal } from './mcp-principal.js';

/**
 * Checks one access token. Implementations: `JwtTokenVerifier` (JWT access tokens against
 * the issuer's JWKS), `IntrospectionTokenVerifier` (RFC 7662), or your own.
 *
 * Contract: resolve with the principal only when the token is valid for THIS resource
 * (audience, RFC 8707: the MCP spec forbids accepting tokens issued for others); otherwise
 * throw an `McpAuthError`: `invalid-token` for a token that fails verification,
 * `verifier-unavailable` when it cannot be checked right now. Any other error is treated as
 * `verifier-unavailable` and logged. Results are cached by the caller until `expiresAt`.
 */
export interface McpTokenVerifier {
  verify(token: string): Promise<McpPrincipal>;
}
