/**
 * Who a polling channel belongs to. A channel id is a bearer secret, but ids leak (logs,
 * proxies, a shared browser), so a channel is also bound to the principal that opened it and
 * every later request must come from the same one.
 *
 * Principals are compared by a key, not by identity: guards build a fresh `req.user` on every
 * request, so the object the opener had is never the object a later request carries.
 */

/**
 * The default key: the first of `id`, `sub` (JWT subject), `subject` (the `McpPrincipal` of a
 * verified token, so a refreshed token keeps its owner's key) and `name` that is a string or a
 * number, else the user's JSON form (so two different users without such a field still differ).
 * A primitive `req.user` is its own key. `null`/`undefined` are anonymous.
 */
export function defaultPrincipalKey(user: unknown): string | undefined {
  if (user === undefined || user === null) return undefined;
  if (typeof user !== 'object') return `${typeof user}:${String(user)}`;
  const fields = user as Record<string, unknown>;
  for (const field of ['id', 'sub', 'subject', 'name']) {
    const value = fields[field];
    if (typeof value === 'string' || typeof value === 'number') return `${field}:${value}`;
  }
  // Throws on cycles or BigInt: the caller treats that as "cannot tell who this is".
  return `json:${JSON.stringify(user)}`;
}

/** A principal's key, or `UNKEYABLE` when the key function threw (never equal to any key). */
export const UNKEYABLE = Symbol('unkeyable principal');

export type PrincipalKey = string | undefined | typeof UNKEYABLE;

export function principalKeyOf(keyOf: (user: unknown) => string | undefined, user: unknown): PrincipalKey {
  try {
    return keyOf(user);
  } catch {
    return UNKEYABLE;
  }
}

/** Whether a request with `key` may use a channel opened with `owner`. */
export function sameOwner(owner: PrincipalKey, key: PrincipalKey): boolean {
  return owner !== UNKEYABLE && owner === key;
}
