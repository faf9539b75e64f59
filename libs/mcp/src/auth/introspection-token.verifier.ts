import { McpAuthError } from './auth.errors.js';
import { fetchAuthorizationServerMetadata } from './authorization-server-metadata.js';
import { type McpPrincipal, principalOfClaims } from './mcp-principal.js';
import type { McpTokenVerifier } from './token-verifier.interface.js';

export interface IntrospectionTokenVerifierOptions {
  /** The authorization server's issuer identifier; an answer naming another `iss` is refused. */
  issuer: string;
  /** The introspection endpoint; default: `introspection_endpoint` from the issuer's metadata. */
  endpoint?: string;
  /** This resource server's credentials at the authorization server (HTTP Basic, RFC 7662 §2.1). */
  clientId: string;
  clientSecret: string;
  /**
   * The audience an active token must name in `aud` (RFC 8707): this server's canonical resource
   * URI. `McpModule` fills it from `auth.resource` when omitted. An answer without `aud` is refused.
   */
  audience?: string | string[];
  /** Leeway for `exp` and `nbf`, in seconds. Default 30. */
  clockToleranceSeconds?: number;
  /** Longest wait for the endpoint, in ms. Default 5,000. */
  timeoutMs?: number;
}

/**
 * Verifies opaque (or any) access tokens with OAuth 2.0 Token Introspection (RFC 7662): one
 * POST per token not yet cached, authenticated as this resource server. The token is valid
 * when the answer is `active: true`, its `iss` is the issuer (when present), its `aud` names
 * this resource, and `exp`/`nbf` hold.
 *
 * @throws McpAuthError `invalid-token` (inactive, wrong audience, expired), `verifier-unavailable`
 *   (endpoint unreachable, non-200, not JSON).
 */
export class IntrospectionTokenVerifier implements McpTokenVerifier {
  private endpoint: Promise<string> | undefined;
  private readonly audiences: readonly string[];
  private readonly authorization: string;

  constructor(private readonly options: IntrospectionTokenVerifierOptions & { audience: string | string[] }) {
    this.audiences = typeof options.audience === 'string' ? [options.audience] : options.audience;
    const credentials = `${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`;
    this.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
  }

  async verify(token: string): Promise<McpPrincipal> {
    const answer = await this.introspect(token);
    if (answer['active'] !== true) throw new McpAuthError('invalid-token', 'The access token is not active');
    const iss = answer['iss'];
    if (iss !== undefined && iss !== this.options.issuer) {
      throw new McpAuthError('invalid-token', 'The access token is not valid here (iss check failed)');
    }
    const aud = answer['aud'];
    const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [];
    if (!audiences.some((value) => this.audiences.includes(value as string))) {
      throw new McpAuthError('invalid-token', 'The access token is not valid here (aud check failed)');
    }
    const now = Date.now() / 1000;
    const leeway = this.options.clockToleranceSeconds ?? 30;
    const exp = answer['exp'];
    if (typeof exp === 'number' && exp + leeway <= now) {
      throw new McpAuthError('invalid-token', 'The access token expired');
    }
    const nbf = answer['nbf'];
    if (typeof nbf === 'number' && nbf - leeway > now) {
      throw new McpAuthError('invalid-token', 'The access token is not valid yet');
    }
    return principalOfClaims(answer);
  }

  private async introspect(token: string): Promise<Record<string, unknown>> {
    const endpoint = await this.endpointUrl();
    let response: Response;
    try {
      response = await fetch(endpoint, {
        method: 'POST',
        headers: {
          authorization: this.authorization,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: new URLSearchParams({ token, token_type_hint: 'access_token' }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000),
      });
    } catch {
      throw new McpAuthError('verifier-unavailable', 'The token introspection endpoint is unreachable');
    }
    if (response.status === 400) {
      // Not RFC 7662's, but servers answer so for tokens they cannot introspect (oidc-provider
      // for its JWT access tokens): the token is not one this resource can accept.
      const refusal = (await response.json().catch(() => undefined)) as { error?: unknown } | undefined;
      if (refusal?.error === 'unsupported_token_type' || refusal?.error === 'invalid_token') {
        throw new McpAuthError('invalid-token', 'The access token is not active');
      }
      throw new McpAuthError('verifier-unavailable', 'The token introspection endpoint refused the request');
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new McpAuthError(
        'verifier-unavailable',
        `The token introspection endpoint answered HTTP ${response.status}`,
      );
    }
    const answer = (await response.json().catch(() => undefined)) as unknown;
    if (answer === null || typeof answer !== 'object' || Array.isArray(answer)) {
      throw new McpAuthError(
        'verifier-unavailable',
        'The token introspection endpoint answered no JSON object',
      );
    }
    return answer as Record<string, unknown>;
  }

  private endpointUrl(): Promise<string> {
    if (this.options.endpoint !== undefined) return Promise.resolve(this.options.endpoint);
    this.endpoint ??= fetchAuthorizationServerMetadata(this.options.issuer).then(
      (metadata) => {
        if (metadata.introspection_endpoint === undefined) {
          throw new McpAuthError(
            'verifier-unavailable',
            `The metadata of ${this.options.issuer} names no introspection_endpoint: set auth.introspection.endpoint`,
          );
        }
        return metadata.introspection_endpoint;
      },
      (error: unknown) => {
        this.endpoint = undefined;
        throw error;
      },
    );
    return this.endpoint;
  }
}
