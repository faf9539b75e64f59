import { McpAuthError } from './auth.errors.js';
import { scopesOf } from './mcp-principal.js';

/**
 * The scope check of every transport: `undefined` when `principal` holds every scope of
 * `required`, else an `insufficient-scope` error naming them all (the step-up challenge asks
 * for the full set, so the client's next authorization request gets everything at once).
 */
export function checkScopes(
  principal: unknown,
  required: readonly string[] | undefined,
  what: string,
): McpAuthError | undefined {
  if (required === undefined || required.length === 0) return undefined;
  const granted = scopesOf(principal);
  for (const scope of required) {
    if (!granted.includes(scope)) {
      return new McpAuthError(
        'insufficient-scope',
        `Insufficient scope: ${what} requires ${required.join(' ')}`,
        required,
      );
    }
  }
  return undefined;
}

/** Whether `principal` holds every scope of `required` (lists hide what this says no to). */
export function holdsScopes(principal: unknown, required: readonly string[] | undefined): boolean {
  if (required === undefined || required.length === 0) return true;
  const granted = scopesOf(principal);
  return required.every((scope) => granted.includes(scope));
}
