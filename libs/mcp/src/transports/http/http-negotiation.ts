import type { IncomingHttpHeaders } from 'node:http';

/**
 * Content-Type and Accept checks of the Streamable HTTP binding, by hand on the raw header
 * strings (no media-type parser per request).
 */

/** `application/json`, optionally with parameters (`; charset=utf-8`). */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const type = contentType.length === 16 ? contentType : contentType.split(';', 1)[0]!.trim();
  return type.toLowerCase() === 'application/json';
}

/** Which response bodies the client said it can read. */
export interface Acceptance {
  readonly json: boolean;
  readonly sse: boolean;
}

const BOTH: Acceptance = { json: true, sse: true };
const JSON_ONLY: Acceptance = { json: true, sse: false };
const SSE_ONLY: Acceptance = { json: false, sse: true };
const NEITHER: Acceptance = { json: false, sse: false };

/**
 * Reads `Accept`. A missing header or a wildcard accepts both (HTTP semantics); the usual
 * client value (`application/json, text/event-stream`) is recognised without splitting.
 */
export function acceptanceOf(headers: IncomingHttpHeaders): Acceptance {
  const accept = headers.accept;
  if (accept === undefined || accept === '') return BOTH;
  const lower = accept.toLowerCase();
  if (lower.includes('*/*')) return BOTH;
  const json = lower.includes('application/json') || lower.includes('application/*');
  const sse = lower.includes('text/event-stream') || lower.includes('text/*');
  return json ? (sse ? BOTH : JSON_ONLY) : sse ? SSE_ONLY : NEITHER;
}

/** A single-valued header (Node joins repeated ones with ', '), trimmed of optional whitespace. */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  if (value === undefined) return undefined;
  const text = Array.isArray(value) ? value.join(', ') : value;
  return text.trim();
}
