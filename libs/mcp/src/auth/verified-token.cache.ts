import type { McpPrincipal } from './mcp-principal.js';

/**
 * Verified tokens, kept until they expire so the request path does not verify a signature (or
 * call the introspection endpoint) for every request. Keyed by the `Authorization` header value
 * as it came (`Bearer <token>`), so a hit costs one map lookup and no parsing: whoever holds the
 * token may use it anyway, and hashing it would cost on every hit what the cache saves.
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

  /** The principal of `key` if it was verified and has not expired at `now` (ms). */
  get(key: string, now = Date.now()): McpPrincipal | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.until <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.principal;
  }

  set(key: string, principal: McpPrincipal, now = Date.now()): void {
    if (this.maxEntries <= 0) return;
    const until =
      principal.expiresAt === undefined ? now + this.ttlWithoutExpiryMs : principal.expiresAt * 1000;
    if (until <= now) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { principal, until });
  }

  get size(): number {
    return this.entries.size;
  }
}
