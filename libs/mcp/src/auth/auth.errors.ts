/**
 * Why a request was not authorized, typed so that one place (`www-authenticate.ts`) turns it
 * into the status and `WWW-Authenticate` challenge (RFC 6750 §3), and the WebSocket and
 * in-band paths into their own forms. Verifiers throw `McpAuthError`; messages are safe to send.
 */
export type McpAuthErrorKind =
  /** No credentials (RFC 6750 §3.1: a challenge without an `error` code). */
  | 'missing-token'
  /** Malformed `Authorization` header, or several credentials (`invalid_request`, 400). */
  | 'invalid-request'
  /** Expired, revoked, malformed, for another audience or issuer, bad signature (`invalid_token`, 401). */
  | 'invalid-token'
  /** Valid token, scopes too narrow for this request (`insufficient_scope`, 403, step-up). */
  | 'insufficient-scope'
  /** The token could not be checked now (JWKS or introspection endpoint unreachable): 503. */
  | 'verifier-unavailable';

export class McpAuthError extends Error {
  constructor(
    readonly kind: McpAuthErrorKind,
    message: string,
    /** For `insufficient-scope`: every scope the request needs (the `scope` of the challenge). */
    readonly requiredScopes?: readonly string[],
  ) {
    super(message);
    this.name = 'McpAuthError';
  }
}

/** The RFC 6750 §3.1 `error` code of a kind (none for a missing token or an unavailable verifier). */
export function oauthErrorCode(kind: McpAuthErrorKind): string | undefined {
  switch (kind) {
    case 'invalid-request':
      return 'invalid_request';
    case 'invalid-token':
      return 'invalid_token';
    case 'insufficient-scope':
      return 'insufficient_scope';
    default:
      return undefined;
  }
}
