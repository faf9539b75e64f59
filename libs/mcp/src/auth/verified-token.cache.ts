import type { McpPrincipal } from './mcp-principal.js';

/**
 * Verified tokens, kept until they expire so the request path does not verify a signature (or
 * call the introspection endpoint) for every request. Keyed by the token itself: whoever holds
 * it may use it anyway, and hashing would cost on every hit what the cache saves.
 *
 * Bounded by `maxEntries`: past it the oldest entry goes (insertion order). A token without
 * `exp` is kept `ttlWithoutExpiryMs`. Failures are never cached: a token refused now because
 * the JWKS was unreachable may be fine a second later.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, { principal: McpPrincipal; until: number }>();

  constructor(
    private readonly maxEntries: number,
    /** How long (ms) a verified token is trusted when it carries no `exp`. */
    private readonly ttlWithoutExpiryMs: number,
  ) {}

  /** The principal of `token` if it was verified and has not expired at `now` (ms). */
  get(token: string, now = Date.now()): McpPrincipal | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    if (entry.until <= now) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.principal;
  }

  set(token: string, principal: McpPrincipal, now = Date.now()): void {
    if (this.maxEntries <= 0) return;
    const until =
      principal.expiresAt === undefined ? now + this.ttlWithoutExpiryMs : principal.expiresAt * 1000;
    if (until <= now) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(token, { principal, until });
  }

  get size(): number {
    return this.entries.size;
  }
}
