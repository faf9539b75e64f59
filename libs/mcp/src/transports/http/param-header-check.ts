import type { IncomingHttpHeaders } from 'node:http';
import type { ToolHeaderParam } from '../../schema/header-params.js';
import { decodeHeaderValue } from './header-value.js';
import { headerValue } from './http-negotiation.js';

/** Plain decimal only, so `0x1a`, `1e3` or `Infinity` in a header never equal a number. */
const DECIMAL = /^-?\d+(?:\.\d+)?$/;

/**
 * The server half of SEP-2243 custom headers for one `tools/call`: each mirrored argument
 * present in the body (not null) must arrive as its `Mcp-Param-*` header, decoding to the same
 * value; a header for an absent or null argument is ignored (clients omit it). Returns what
 * disagrees, for a -32020 / 400 answer, or `undefined`.
 *
 * Why here: the headers exist only on this transport and exist so intermediaries can act on
 * them, so a request whose headers and body disagree must never reach a handler.
 */
export function checkParamHeaders(
  params: readonly ToolHeaderParam[],
  args: unknown,
  headers: IncomingHttpHeaders,
): string | undefined {
  for (const param of params) {
    const body = valueAt(args, param.path);
    // Null, absent, or not a primitive (argument validation reports the latter): nothing to mirror.
    if (body === undefined || body === null || typeof body === 'object') continue;
    const raw = headerValue(headers, param.headerKey);
    const where = `params.arguments.${param.path.join('.')}`;
    if (raw === undefined) return `the body carries ${where} but the ${param.header} header is missing`;
    const decoded = decodeHeaderValue(raw);
    if (decoded === undefined) return `the ${param.header} header carries an invalid Base64 value`;
    if (!sameValue(decoded, body, param))
      return `the body carries ${where}=${JSON.stringify(body)} but ${param.header} names ${JSON.stringify(decoded)}`;
  }
  return undefined;
}

/** Integers compare as numbers (`42.0` is `42`, as the spec suggests); the rest as text. */
function sameValue(header: string, body: unknown, param: ToolHeaderParam): boolean {
  if (param.type === 'integer' && typeof body === 'number' && DECIMAL.test(header))
    return Number(header) === body;
  return header === String(body);
}

function valueAt(args: unknown, path: readonly string[]): unknown {
  let node = args;
  for (const key of path) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
