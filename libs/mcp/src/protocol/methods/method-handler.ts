import type { Result } from '@modelcontextprotocol/server';
import type { RequestCall } from '../request-call.js';

/**
 * Returned by a handler that answers its request itself, later (`subscriptions/listen`
 * keeps its request open and answers only on graceful close).
 */
export const ANSWERED_LATER: unique symbol = Symbol('ANSWERED_LATER');

/** One JSON-RPC method. Throws `McpWireError` for protocol failures. */
export type MethodHandler = (
  call: RequestCall,
) => Result | typeof ANSWERED_LATER | Promise<Result | typeof ANSWERED_LATER>;
