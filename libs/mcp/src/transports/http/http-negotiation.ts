import type { IncomingHttpHeaders } from 'node:http';
import { parse as parseContentType } from 'content-type';
import Negotiator from 'negotiator';

/**
 * Content-Type and Accept of the Streamable HTTP binding (and the polling extension), read by
 * the libraries Express itself uses: `content-type` (RFC 9110 section 8.3) and `negotiator`
 * (RFC 9110 section 12.5.1: media ranges, wildcards, parameters and q-values, where `q=0`
 * means "not acceptable").
 */

/**
 * `application/json`, with or without parameters. A header that does not parse as a media
 * type (`application/json x`, `text/plain; a=application/json`) is not JSON.
 */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  try {
    return parseContentType(contentType).type === 'application/json';
  } catch {
    return false;
  }
}

/** Which response bodies the client said it can read. */
export interface Acceptance {
  readonly json: boolean;
  readonly sse: boolean;
}

/**
 * What we can answer with. Both are UTF-8 (SSE is UTF-8 by definition), so an Accept range
 * that asks for `charset=utf-8` matches and one that asks for another charset does not.
 */
const OFFERED = ['application/json;charset=utf-8', 'text/event-stream;charset=utf-8'];
const BOTH: Acceptance = { json: true, sse: true };
const JSON_ONLY: Acceptance = { json: true, sse: false };
const SSE_ONLY: Acceptance = { json: false, sse: true };
const NEITHER: Acceptance = { json: false, sse: false };

/**
 * Negotiation results by Accept value. Clients send one or two distinct values, so this saves
 * a parse per request; it is emptied when full, so odd values cannot make it grow.
 */
const negotiated = new Map<string, Acceptance>();
const NEGOTIATED_LIMIT = 256;

/** Reads `Accept`: a missing header accepts anything (RFC 9110); an empty one accepts nothing. */
export function acceptanceOf(headers: IncomingHttpHeaders): Acceptance {
  const accept = headers.accept;
  if (accept === undefined) return BOTH;
  let acceptance = negotiated.get(accept);
  if (acceptance === undefined) {
    const types = new Negotiator({ headers: { accept } }).mediaTypes(OFFERED);
    const json = types.includes(OFFERED[0]!);
    const sse = types.includes(OFFERED[1]!);
    acceptance = json ? (sse ? BOTH : JSON_ONLY) : sse ? SSE_ONLY : NEITHER;
    if (negotiated.size >= NEGOTIATED_LIMIT) negotiated.clear();
    negotiated.set(accept, acceptance);
  }
  return acceptance;
}

/** A single-valued header (Node joins repeated ones with ', '), trimmed of optional whitespace. */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  if (value === undefined) return undefined;
  const text = Array.isArray(value) ? value.join(', ') : value;
  return text.trim();
}
