import { IntrinsicException } from '@nestjs/common';

/**
 * What a handler's pending `ctx.elicit()` (or other server-to-client request) rejects with when
 * its call or task was cancelled: `tasks/cancel`, `notifications/cancelled`, a task's TTL, a
 * shutdown. Cancellation is control flow, not a fault: an `IntrinsicException`, so Nest's
 * exception layer does not log it, and the tool-call path does not log it as a failure either.
 * `message` is the reason (e.g. "Cancelled by the client").
 */
export class McpCancelledError extends IntrinsicException {
  override readonly name = 'McpCancelledError';
}
