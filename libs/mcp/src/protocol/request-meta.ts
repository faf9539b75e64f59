import type { ProgressToken } from '@modelcontextprotocol/server';
import { McpWireError } from '../errors/wire-errors.js';
import { isRequestId } from './json-rpc-messages.js';
import { isPlainObject } from './request-envelope.js';

/**
 * Checks the `_meta` every request may carry, in both eras (MCP basic protocol, "General
 * fields": `_meta` is an object; `_meta.progressToken` is a string or an integer, the same
 * type as a request id). Returns the progress token, if the request asked for progress.
 *
 * @throws McpWireError `invalid-params` (-32602) naming the field, before any handler runs:
 *   a token the client could not match (`{}`, `1.5`, `null`, `true`) is refused rather than
 *   echoed back in `notifications/progress`.
 */
export function readRequestMeta(params: Record<string, unknown>): ProgressToken | undefined {
  const meta = params['_meta'];
  if (meta === undefined) return undefined;
  if (!isPlainObject(meta))
    throw new McpWireError('invalid-params', 'Invalid params: _meta must be an object');
  if (!('progressToken' in meta)) return undefined;
  const token = meta['progressToken'];
  if (!isRequestId(token)) {
    throw new McpWireError(
      'invalid-params',
      'Invalid params: _meta.progressToken must be a string or an integer (at most 2^53 - 1)',
    );
  }
  return token;
}
