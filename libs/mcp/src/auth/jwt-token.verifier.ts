import {
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import { McpAuthError } from './auth.errors.js';
import { fetchAuthorizationServerMetadata } from './authorization-server-metadata.js';
import { type McpPrincipal, principalOfClaims } from './mcp-principal.js';
import type { McpTokenVerifier } from './token-verifier.interface.js';

export interface JwtTokenVerifierOptions {
  /** The authorization server's issuer identifier: the `iss` every token must carry. */
  issuer: string;
  /**
   * The audience every token must carry in `aud` (RFC 8707 / RFC 9068): this server's
   * canonical resource URI. `McpModule` fills it from `auth.resource` when omitted.
   */
  audience?: string | string[];
  /** The JWKS URL; default: `jwks_uri` from the issuer's metadata (RFC 8414, else OIDC discovery). */
  jwksUri?: string;
  /** Accepted signing algorithms. Default: the asymmetric JWS algorithms jose supports (never `none` or HMAC). */
  algorithms?: string[];
  /** Leeway for `exp`, `nbf` and `iat`, in seconds. Default 30. */
  clockToleranceSeconds?: number;
  /**
   * Required `typ` header, e.g. `at+jwt` (RFC 9068 §2.1). Default: not checked, because many
   * servers issue access tokens typed `JWT`.
   */
  typ?: string;
  /** How long fetched keys are trusted before a refetch, in ms. Default 10 minutes. */
  jwksCacheMaxAgeMs?: number;
  /** Least time between two JWKS fetches triggered by an unknown `kid` (key rotation), in ms. Default 30,000. */
  jwksCooldownMs?: number;
}

const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];

/**
 * Verifies JWT access tokens with `jose`: signature against the issuer's JWKS (keys cached,
 * refetched on an unknown `kid` after `jwksCooldownMs` and every `jwksCacheMaxAgeMs`), `iss`,
 * `aud` (this resource only: RFC 8707, the MCP spec's audience binding), `exp`, `nbf` and `iat`
 * with `clockToleranceSeconds` of leeway.
 *
 * @throws McpAuthError `invalid-token` (any verification failure), `verifier-unavailable`
 *   (JWKS or metadata unreachable).
 */
export class JwtTokenVerifier implements McpTokenVerifier {
  private keys: Promise<JWTVerifyGetKey> | undefined;
  private readonly audience: string | string[];

  constructor(private readonly options: JwtTokenVerifierOptions & { audience: string | string[] }) {
    this.audience = options.audience;
  }

  async verify(token: string): Promise<McpPrincipal> {
    this.precheck(token);
    const keys = await this.keySet();
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: this.options.issuer,
        audience: this.audience,
        algorithms: this.options.algorithms ?? ASYMMETRIC_ALGORITHMS,
        clockTolerance: this.options.clockToleranceSeconds ?? 30,
        typ: this.options.typ,
        requiredClaims: ['exp'],
      });
      return principalOfClaims(payload as Record<string, unknown>);
    } catch (error) {
      throw asAuthError(error);
    }
  }

  /**
   * What can be refused without the network: a token that is not a JWS compact JWT, or whose
   * `iss` is not our issuer, never makes this server fetch the issuer's metadata or keys (an
   * anonymous caller could otherwise make it fetch on every request).
   */
  private precheck(token: string): void {
    let issuer: unknown;
    try {
      decodeProtectedHeader(token);
      issuer = decodeJwt(token).iss;
    } catch {
      throw new McpAuthError('invalid-token', 'The access token is not a well-formed JWT');
    }
    if (issuer !== this.options.issuer) {
      throw new McpAuthError('invalid-token', 'The access token is not valid here (iss check failed)');
    }
  }

  private keySet(): Promise<JWTVerifyGetKey> {
    this.keys ??= this.resolveKeySet().catch((error: unknown) => {
      // Not remembered: the next request tries the metadata again.
      this.keys = undefined;
      throw error;
    });
    return this.keys;
  }

  private async resolveKeySet(): Promise<JWTVerifyGetKey> {
    const jwksUri =
      this.options.jwksUri ?? (await fetchAuthorizationServerMetadata(this.options.issuer)).jwks_uri;
    if (jwksUri === undefined) {
      throw new McpAuthError(
        'verifier-unavailable',
        `The metadata of ${this.options.issuer} names no jwks_uri: set auth.jwt.jwksUri`,
      );
    }
    const remote = createRemoteJWKSet(new URL(jwksUri), {
      cacheMaxAge: this.options.jwksCacheMaxAgeMs ?? 600_000,
      cooldownDuration: this.options.jwksCooldownMs ?? 30_000,
    });
    // Told apart here, where it is known: a key set that cannot be fetched (down, not 200, not
    // JSON) is the server's problem (503), not the token's; no key for the token's `kid`/`alg`
    // is the token's (401).
    return async (header, token) => {
      try {
        return await remote(header, token);
      } catch (error) {
        if (
          error instanceof errors.JWKSNoMatchingKey ||
          error instanceof errors.JWKSMultipleMatchingKeys ||
          error instanceof errors.JOSENotSupported
        ) {
          throw error;
        }
        throw new McpAuthError('verifier-unavailable', 'The authorization server keys are unavailable');
      }
    };
  }
}

function asAuthError(error: unknown): McpAuthError {
  if (error instanceof McpAuthError) return error;
  if (error instanceof errors.JWTExpired)
    return new McpAuthError('invalid-token', 'The access token expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    return new McpAuthError(
      'invalid-token',
      `The access token is not valid here (${error.claim} check failed)`,
    );
  }
  if (error instanceof errors.JOSEError) {
    return new McpAuthError('invalid-token', 'The access token could not be verified');
  }
  // fetch() failures of the JWKS (connection refused, DNS) are not JOSE errors.
  return new McpAuthError('verifier-unavailable', 'The authorization server keys are unavailable');
}
