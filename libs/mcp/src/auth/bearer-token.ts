import type { IncomingHttpHeaders } from 'node:http';
import { McpAuthError } from './auth.errors.js';

/** RFC 6750 §2.1 `b64token`: the only characters a bearer credential may have. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * The bearer token of a request, from the `Authorization` header only (RFC 6750 §2.1; the MCP
 * spec forbids tokens in the query string, and this resource advertises `header` as its only
 * bearer method). `undefined` when the request carries none.
 *
 * @throws McpAuthError `invalid-request` for `Bearer` without a well-formed token (RFC 6750 §2.1).
 */
export function bearerTokenOf(headers: IncomingHttpHeaders): string | undefined {
  const header = headers.authorization;
  if (header === undefined || header === '') return undefined;
  const space = header.indexOf(' ');
  const scheme = space === -1 ? header : header.slice(0, space);
  // Another scheme (Basic, ...) is not a bearer credential: answered as a missing token, so the
  // client gets the Bearer challenge telling it where to get one.
  if (scheme.toLowerCase() !== 'bearer') return undefined;
  const token = header.slice(space + 1).trim();
  if (space === -1 || !B64TOKEN.test(token)) {
    throw new McpAuthError('invalid-request', 'The Authorization header carries a malformed bearer token');
  }
  return token;
}
