import { type Implementation, type Result, SERVER_INFO_META_KEY } from '@modelcontextprotocol/server';

/** Results that revision 2026-07-28 requires to carry `ttlMs` / `cacheScope`. */
const CACHEABLE_METHODS: ReadonlySet<string> = new Set([
  'tools/list',
  'prompts/list',
  'resources/list',
  'resources/templates/list',
  'resources/read',
  'server/discover',
]);

/**
 * Stamps a result for the 2026 wire: `resultType` (`complete` unless the handler said
 * otherwise), the cache hint fields on cacheable complete results (conservative defaults
 * `ttlMs: 0`, `cacheScope: 'private'` unless the result brings valid ones), and the server's
 * identity in `_meta`. The 2025 wire takes results unchanged.
 */
export function encodeModernResult(method: string, result: Result, serverInfo: Implementation): Result {
  const out: Record<string, unknown> = { ...result };
  if (out['resultType'] === undefined) out['resultType'] = 'complete';
  if (out['resultType'] === 'complete' && CACHEABLE_METHODS.has(method)) {
    const ttlMs = out['ttlMs'];
    if (!(typeof ttlMs === 'number' && Number.isSafeInteger(ttlMs) && ttlMs >= 0)) out['ttlMs'] = 0;
    const scope = out['cacheScope'];
    if (scope !== 'public' && scope !== 'private') out['cacheScope'] = 'private';
  }
  const meta = out['_meta'];
  if (meta === undefined) {
    out['_meta'] = { [SERVER_INFO_META_KEY]: serverInfo };
  } else if (
    meta !== null &&
    typeof meta === 'object' &&
    (meta as Record<string, unknown>)[SERVER_INFO_META_KEY] === undefined
  ) {
    out['_meta'] = { ...meta, [SERVER_INFO_META_KEY]: serverInfo };
  }
  return out as Result;
}
