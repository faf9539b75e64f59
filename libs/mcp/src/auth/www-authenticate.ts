import type { WireErrorKind } from '../errors/wire-errors.js';
import { type McpAuthError, oauthErrorCode } from './auth.errors.js';

/**
 * How a refusal looks on HTTP: the one place that builds `WWW-Authenticate` (RFC 6750 §3 with
 * RFC 9728 §5.1's `resource_metadata`) and picks the status, from an `McpAuthError`.
 *
 * Parameters in the order written; `scope` is the required scopes for a 403, else
 * `challengeScopes` (what to ask for), left out when empty:
 *
 * | kind                 | status | challenge                                                                    |
 * |----------------------|--------|------------------------------------------------------------------------------|
 * | missing-token        | 401    | `Bearer scope="…", resource_metadata="…"` (no `error`: RFC 6750 §3.1)       |
 * | invalid-request      | 400    | `Bearer error="invalid_request", resource_metadata="…", error_description="…"` |
 * | invalid-token        | 401    | `Bearer error="invalid_token", scope="…", resource_metadata="…", error_description="…"` |
 * | insufficient-scope   | 403    | `Bearer error="insufficient_scope", scope="…", resource_metadata="…", error_description="…"` |
 * | verifier-unavailable | 503    | none (`Retry-After: 5`)                                                      |
 */
export interface AuthChallenge {
  readonly status: 400 | 401 | 403 | 503;
  /** The wire kind whose status this is, for the JSON-RPC error body transports write. */
  readonly kind: WireErrorKind;
  /** Safe to send. */
  readonly message: string;
  /** The `reason` label of the refused-connections metric. */
  readonly reason: string;
  readonly error: McpAuthError;
  /** Headers to send: `WWW-Authenticate`, or `Retry-After` for 503. */
  readonly headers: Record<string, string>;
}

export interface ChallengeSettings {
  /** The absolute URL of this resource's metadata document. */
  readonly resourceMetadataUrl: string;
  /** The scopes a client should ask for when it has no token yet (`scope` of the plain 401). */
  readonly challengeScopes: readonly string[];
}

export function challengeOf(error: McpAuthError, settings: ChallengeSettings): AuthChallenge {
  if (error.kind === 'verifier-unavailable') {
    return {
      status: 503,
      kind: 'at-capacity',
      message: error.message,
      reason: 'auth-unavailable',
      error,
      headers: { 'retry-after': '5' },
    };
  }
  const params: string[] = [];
  const code = oauthErrorCode(error.kind);
  if (code !== undefined) params.push(`error="${code}"`);
  const scopes = error.kind === 'insufficient-scope' ? error.requiredScopes : settings.challengeScopes;
  if (scopes !== undefined && scopes.length > 0 && error.kind !== 'invalid-request') {
    params.push(`scope="${quoted(scopes.join(' '))}"`);
  }
  params.push(`resource_metadata="${quoted(settings.resourceMetadataUrl)}"`);
  if (code !== undefined) params.push(`error_description="${quoted(error.message)}"`);
  const headers = { 'www-authenticate': `Bearer ${params.join(', ')}` };
  const { message } = error;
  if (error.kind === 'insufficient-scope') {
    return { status: 403, kind: 'insufficient-scope', message, reason: 'scope', error, headers };
  }
  if (error.kind === 'invalid-request') {
    return { status: 400, kind: 'invalid-request', message, reason: 'auth-request', error, headers };
  }
  return { status: 401, kind: 'unauthorized', message, reason: 'token', error, headers };
}

/**
 * RFC 6750 §3: `error_description` and `scope` values exclude `"` and `\`; anything else
 * outside the allowed printable ASCII is dropped rather than escaped.
 */
function quoted(value: string): string {
  return value.replace(/["\\]/g, "'").replace(/[^\x20-\x7e]/g, '');
}
