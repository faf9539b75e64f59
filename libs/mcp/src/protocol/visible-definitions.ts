import type { DefinitionListCache } from './definition-list-cache.js';
import type { RequestCall } from './request-call.js';

/**
 * The definitions a list request shows: all of them (the shared cached array) unless the
 * module hides what the caller's scopes do not allow (`auth.hideUnauthorized`), in which case
 * the list is filtered for this caller. stdio callers see everything (no tokens there).
 */
export function visibleDefinitions<E extends { readonly scopes?: readonly string[] }, D>(
  call: RequestCall,
  cache: DefinitionListCache<E, D>,
  entries: readonly E[],
  definitionOf: (entry: E) => D,
): readonly D[] {
  const policy = call.engine.scopePolicy;
  if (policy === undefined || !policy.hidesUnauthorized || call.connection.transportName === 'stdio') {
    return cache.get(entries);
  }
  const principal = call.extra?.principal;
  return entries.filter((entry) => policy.shows(principal, entry)).map(definitionOf);
}
