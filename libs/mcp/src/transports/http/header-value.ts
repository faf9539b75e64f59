const BASE64_PREFIX = '=?base64?';
const BASE64_SUFFIX = '?=';
/** RFC 4648 with padding: the SEP-2243 test table rejects `SGVsbG8` (missing `=`). */
const CANONICAL_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * An `Mcp-Name` or `Mcp-Param-*` value as the sender meant it (SEP-2243 value encoding):
 * values that cannot travel as plain ASCII come as `=?base64?<UTF-8 in Base64>?=`; anything
 * without both the prefix and the suffix is literal. `undefined`: the wrapper is there but
 * its payload is not canonical Base64 or not UTF-8, which the server must reject.
 */
export function decodeHeaderValue(value: string): string | undefined {
  if (!(value.startsWith(BASE64_PREFIX) && value.endsWith(BASE64_SUFFIX))) return value;
  const encoded = value.slice(BASE64_PREFIX.length, value.length - BASE64_SUFFIX.length);
  if (!CANONICAL_BASE64.test(encoded)) return undefined;
  const bytes = Buffer.from(encoded, 'base64');
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  return Buffer.from(text, 'utf8').equals(bytes) ? text : undefined;
}
