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
 * The `_meta` of a result that brought none: the same frozen object for every result of a
 * server, so the hot path allocates nothing for it. Keyed by the `serverInfo` object, one per
 * module registration.
 */
const serverMetas = new WeakMap<Implementation, Readonly<Record<string, unknown>>>();

function serverMetaOf(serverInfo: Implementation): Readonly<Record<string, unknown>> {
  let meta = serverMetas.get(serverInfo);
  if (meta === undefined) {
    meta = Object.freeze({ [SERVER_INFO_META_KEY]: serverInfo });
    serverMetas.set(serverInfo, meta);
  }
  return meta;
}

/**
 * Stamps a result for the 2026 wire: `resultType` (`complete` unless the handler said
 * otherwise), the cache hint fields on cacheable complete results (conservative defaults
 * `ttlMs: 0`, `cacheScope: 'private'` unless the result brings valid ones), and the server's
 * identity in `_meta`. The 2025 wire takes results unchanged. The handler's object is copied,
 * never stamped in place: a handler may return a shared or frozen result.
 */
export function encodeModernResult(method: string, result: Result, serverInfo: Implementation): Result {
  // Not `{ ...result }`: V8 (Node 20) gives a spread clone a map that does not keep its
  // transitions, so each property added below cost about 0.6 µs, a twentieth of a WebSocket
  // round trip; `Object.assign` onto a fresh literal stays on the fast path. A result with an
  // own `__proto__` key (JSON.parse makes those) is spread, since assigning that key would
  // set the copy's prototype instead.
  const out: Record<string, unknown> = Object.hasOwn(result, '__proto__')
    ? { ...result }
    : Object.assign({}, result);
  if (out['resultType'] === undefined) out['resultType'] = 'complete';
  if (out['resultType'] === 'complete' && CACHEABLE_METHODS.has(method)) {
    const ttlMs = out['ttlMs'];
    if (!(typeof ttlMs === 'number' && Number.isSafeInteger(ttlMs) && ttlMs >= 0)) out['ttlMs'] = 0;
    const scope = out['cacheScope'];
    if (scope !== 'public' && scope !== 'private') out['cacheScope'] = 'private';
  }
  const meta = out['_meta'];
  if (meta === undefined) {
    out['_meta'] = serverMetaOf(serverInfo);
  } else if (
    meta !== null &&
    typeof meta === 'object' &&
    (meta as Record<string, unknown>)[SERVER_INFO_META_KEY] === undefined
  ) {
    out['_meta'] = { ...meta, [SERVER_INFO_META_KEY]: serverInfo };
  }
  return out as Result;
}
