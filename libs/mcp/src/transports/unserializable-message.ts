import type { RequestId } from '@modelcontextprotocol/server';
import { McpWireError } from '../errors/wire-errors.js';
import { errorResponse } from '../protocol/json-rpc-messages.js';
import type { JSONRPCMessage } from './transport.interface.js';

/**
 * For transports that serialize messages themselves: what to do with one that does not
 * serialize (a handler returned a BigInt or a cycle). The error is for `onerror`; when the
 * message was the answer to a request, `replacement` is the internal error to send in its
 * place, so the request is not left open.
 */
export function unserializableMessage(
  message: JSONRPCMessage,
  error: unknown,
): { readonly error: Error; readonly replacement?: JSONRPCMessage } {
  const detail = error instanceof Error ? error.message : String(error);
  const reported = new Error(`Unserializable outgoing message: ${detail}`);
  if (!('id' in message) || 'method' in message) return { error: reported };
  const failure = new McpWireError('internal-error', 'Internal error: the result could not be serialized');
  return { error: reported, replacement: errorResponse(message.id as RequestId, failure) };
}
