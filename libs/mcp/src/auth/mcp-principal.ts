/**
 * Who a verified access token speaks for: what guards and handlers see as `ctx.principal`
 * (and `req.user`) on every transport once the server is an OAuth protected resource.
 */
export interface McpPrincipal {
  /** The token's `sub` claim: the resource owner (or the client itself for client credentials). */
  readonly subject?: string;
  /** The OAuth client the token was issued to (`client_id`, else `azp`). */
  readonly clientId?: string;
  /** Granted scopes (`scope`, space-separated, or `scp`), in the order the token lists them. */
  readonly scopes: readonly string[];
  /** Expiry, in seconds since the epoch (`exp`); `undefined` when the token has none. */
  readonly expiresAt?: number;
  /** Every claim of the token (JWT payload, or the introspection response). */
  readonly claims: Readonly<Record<string, unknown>>;
}

/**
 * The scopes a principal holds, whoever built it: our `McpPrincipal` (`scopes`), or a user a
 * passport-style guard put on `req.user` carrying `scopes` (array) or `scope` (RFC 6749
 * space-separated string) or `scp` (array or string). Anything else holds none.
 */
export function scopesOf(principal: unknown): readonly string[] {
  if (principal === null || typeof principal !== 'object') return NO_SCOPES;
  const fields = principal as { scopes?: unknown; scope?: unknown; scp?: unknown };
  return readScopes(fields.scopes) ?? readScopes(fields.scope) ?? readScopes(fields.scp) ?? NO_SCOPES;
}

const NO_SCOPES: readonly string[] = Object.freeze([]);

/** A space-separated scope string or a list of scope strings, else undefined. */
export function readScopes(value: unknown): readonly string[] | undefined {
  if (typeof value === 'string') return value.split(' ').filter((scope) => scope !== '');
  if (Array.isArray(value) && value.every((scope) => typeof scope === 'string')) return value as string[];
  return undefined;
}

/** The principal of a verified token's claims (JWT payload or RFC 7662 introspection answer). */
export function principalOfClaims(claims: Record<string, unknown>): McpPrincipal {
  const subject = typeof claims['sub'] === 'string' ? claims['sub'] : undefined;
  const clientId =
    typeof claims['client_id'] === 'string'
      ? claims['client_id']
      : typeof claims['azp'] === 'string'
        ? claims['azp']
        : undefined;
  const exp = claims['exp'];
  return {
    subject,
    clientId,
    scopes: readScopes(claims['scope']) ?? readScopes(claims['scp']) ?? NO_SCOPES,
    expiresAt: typeof exp === 'number' && Number.isFinite(exp) ? exp : undefined,
    claims,
  };
}
