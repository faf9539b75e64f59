/**
 * DNS-rebinding protection by `Origin` (browser requests carry it; other clients do not).
 * Shared by every transport on the MCP route: the Streamable HTTP controller calls it per
 * request, a WebSocket gateway will call it at the upgrade.
 */

/** Hostnames a local server trusts by default (IPv6 in URL form, with brackets). */
export const LOCALHOST_NAMES: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

/** Why an `Origin` was refused (safe to send), or undefined when it may proceed. */
export type OriginCheck = (origin: string | undefined) => string | undefined;

/** Verdicts are cached per header value: a server sees few distinct origins. */
const MAX_CACHED_VERDICTS = 256;

/**
 * Builds the check once. `allowed` entries are hostnames (`example.com`, any scheme and
 * port) or full origins (`https://app.example.com:8443`, exact match); `'*'` turns the
 * check off; an empty list means localhost origins only. A request without `Origin` passes;
 * one whose `Origin` cannot be parsed (including the opaque `null`) is refused.
 */
export function createOriginCheck(allowed: readonly string[] | '*'): OriginCheck {
  if (allowed === '*') return () => undefined;
  const entries = allowed.length === 0 ? LOCALHOST_NAMES : allowed;
  const hostnames = new Set(entries.filter((entry) => !entry.includes('://')).map((h) => h.toLowerCase()));
  const origins = new Set(entries.filter((entry) => entry.includes('://')).map(normalizeOrigin));
  const verdicts = new Map<string, string | undefined>();
  return (origin) => {
    if (origin === undefined || origin === '') return undefined;
    const cached = verdicts.get(origin);
    if (cached !== undefined || verdicts.has(origin)) return cached;
    const verdict = judge(origin, hostnames, origins);
    if (verdicts.size >= MAX_CACHED_VERDICTS) verdicts.clear();
    verdicts.set(origin, verdict);
    return verdict;
  };
}

function judge(origin: string, hostnames: Set<string>, origins: Set<string | undefined>): string | undefined {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return `Forbidden: invalid Origin header`;
  }
  if (url.hostname === '') return `Forbidden: invalid Origin header`;
  if (hostnames.has(url.hostname) || origins.has(url.origin)) return undefined;
  return `Forbidden: Origin ${url.origin} is not allowed`;
}

function normalizeOrigin(entry: string): string | undefined {
  try {
    return new URL(entry).origin;
  } catch {
    return undefined;
  }
}
