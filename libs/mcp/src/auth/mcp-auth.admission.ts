import type { IncomingMessage } from 'node:http';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { MCP_CATALOG, MCP_RESOLVED_OPTIONS } from '../mcp.constants.js';
import type { ResolvedMcpOptions } from '../mcp.options.js';
import { McpProtocolService } from '../protocol/mcp-protocol.service.js';
import type { McpCatalog } from '../registry/registry-entries.js';
import { McpAuthError } from './auth.errors.js';
import type { ResolvedMcpAuthOptions } from './auth.options.js';
import { bearerTokenOf } from './bearer-token.js';
import type { McpPrincipal } from './mcp-principal.js';
import { McpScopePolicy } from './scope-policy.js';
import { VerifiedTokenCache } from './verified-token.cache.js';
import { type AuthChallenge, challengeOf } from './www-authenticate.js';

/** The outcome of admission: a principal (or none, auth being off), or the challenge to answer with. */
export type AuthAdmission =
  | { readonly admitted: true; readonly principal: McpPrincipal | undefined }
  | { readonly admitted: false; readonly challenge: AuthChallenge };

/** What a caller is told when its token cannot be checked (503): no URLs, no internals. */
const UNAVAILABLE_MESSAGE = 'Service Unavailable: the access token cannot be checked now';
/** At most one warning per this many ms while the verifier is unavailable. */
const UNAVAILABLE_LOG_INTERVAL_MS = 30_000;

const AUTH_OFF: AuthAdmission = Object.freeze({ admitted: true, principal: undefined });

/**
 * The authorization step of every network transport's admission, beside `HostOriginPolicy`:
 * Streamable HTTP (POST, GET, DELETE), polling (every request) and the WebSocket Upgrade call
 * `admit()` and either go on with the principal or answer with the challenge. They never see
 * a token, a JWT or a scope: verification, caching and challenges live here.
 */
@Injectable()
export class McpAuthAdmission implements OnModuleInit {
  private readonly logger = new Logger('McpAuth');
  private readonly settings: ResolvedMcpAuthOptions | undefined;
  private readonly cache: VerifiedTokenCache | undefined;
  /** Verifications under way, so a burst with one new token verifies it once. */
  private readonly pending = new Map<string, Promise<McpPrincipal>>();
  /** When the last "verification unavailable" warning was logged (ms since the epoch). */
  private lastUnavailableLog = 0;
  /** Set when auth is on: per-primitive scopes and list filtering. */
  readonly scopes: McpScopePolicy | undefined;

  constructor(
    @Inject(MCP_RESOLVED_OPTIONS) options: ResolvedMcpOptions,
    @Inject(MCP_CATALOG) catalog: McpCatalog,
    private readonly engine: McpProtocolService,
  ) {
    this.settings = options.auth;
    if (this.settings !== undefined) {
      this.cache = new VerifiedTokenCache(
        this.settings.cacheMaxEntries,
        this.settings.cacheTtlWithoutExpiryMs,
      );
      this.scopes = new McpScopePolicy(
        catalog,
        this.settings.defaultScopes,
        this.settings.hideUnauthorized,
        this.settings.resourceMetadataUrl,
      );
    }
  }

  onModuleInit(): void {
    // The protocol layer enforces scopes on every transport (in band where no challenge is possible).
    if (this.scopes !== undefined) this.engine.scopePolicy = this.scopes;
  }

  /** Whether the module is a protected resource (`auth` set). */
  get enabled(): boolean {
    return this.settings !== undefined;
  }

  /**
   * Checks the request's bearer token. Synchronous when auth is off or the token is cached
   * (the hot path), a promise otherwise. Never rejects: failures are challenges.
   */
  admit(req: IncomingMessage): AuthAdmission | Promise<AuthAdmission> {
    if (this.settings === undefined) return AUTH_OFF;
    // The hot path: a header seen before, looked up as it came, before any parsing.
    const header = req.headers.authorization;
    if (header !== undefined) {
      const cached = this.cache!.get(header);
      if (cached !== undefined) return { admitted: true, principal: cached };
    }
    let token: string | undefined;
    try {
      token = bearerTokenOf(req.headers);
    } catch (error) {
      return this.refused(error as McpAuthError);
    }
    if (token === undefined) {
      return this.refused(
        new McpAuthError('missing-token', 'Unauthorized: a bearer access token is required'),
      );
    }
    return this.verify(token, header!).then(
      (principal): AuthAdmission => ({ admitted: true, principal }),
      (error: unknown) => this.refused(this.asAuthError(error)),
    );
  }

  /**
   * The 403 step-up challenge for a request whose principal lacks the scopes of what it
   * names (`tools/call` of a tool with `@McpScopes`, ...), or undefined. For transports that
   * can still answer with an HTTP status (Streamable HTTP POST, polling send).
   */
  scopeChallenge(
    principal: unknown,
    method: string,
    params: Record<string, unknown> | undefined,
  ): AuthChallenge | undefined {
    const refusal = this.scopes?.refusalOf(principal, method, params);
    return refusal === undefined ? undefined : challengeOf(refusal, this.settings!);
  }

  /**
   * When (ms since the epoch) the authorization of a long-lived stream or socket opened by
   * `principal` ends, or undefined when it does not (auth off, or a token without `exp`).
   */
  expiryOf(principal: unknown): number | undefined {
    if (this.settings === undefined) return undefined;
    const expiresAt = (principal as McpPrincipal | undefined)?.expiresAt;
    return typeof expiresAt === 'number' ? expiresAt * 1000 : undefined;
  }

  /** The absolute URL of the metadata document (for in-band errors' `data`). */
  get resourceMetadataUrl(): string | undefined {
    return this.settings?.resourceMetadataUrl;
  }

  /** Verifies `token` once however many requests bring it meanwhile; caches it under `header`. */
  private verify(token: string, header: string): Promise<McpPrincipal> {
    const running = this.pending.get(token);
    if (running !== undefined) return running;
    const verification = this.settings!.verifier.verify(token).then(
      (principal) => {
        this.pending.delete(token);
        this.cache!.set(header, principal);
        return principal;
      },
      (error: unknown) => {
        this.pending.delete(token);
        throw error;
      },
    );
    this.pending.set(token, verification);
    return verification;
  }

  private refused(error: McpAuthError): AuthAdmission {
    return { admitted: false, challenge: challengeOf(error, this.settings!) };
  }

  private asAuthError(error: unknown): McpAuthError {
    if (error instanceof McpAuthError) {
      if (error.kind !== 'verifier-unavailable') return error;
      // The detail (URLs, what failed) is for the operator, once in a while; the caller learns
      // only that the token cannot be checked now.
      if (Date.now() - this.lastUnavailableLog >= UNAVAILABLE_LOG_INTERVAL_MS) {
        this.lastUnavailableLog = Date.now();
        this.logger.warn(`Token verification unavailable: ${error.message}`);
      }
      return new McpAuthError('verifier-unavailable', UNAVAILABLE_MESSAGE);
    }
    this.logger.error('Token verifier failed', error instanceof Error ? error.stack : String(error));
    return new McpAuthError('verifier-unavailable', UNAVAILABLE_MESSAGE);
  }
}
