import { ServiceUnavailableException } from '@nestjs/common';

/**
 * The shared state (Redis, ...) cannot be reached right now. A 503 kind of failure: on the
 * wire it is JSON-RPC -32011 (HTTP 503 when it ends an exchange), with this message. Raised at
 * once, never after waiting for a connection to come back.
 */
export class McpStateUnavailableError extends ServiceUnavailableException {
  constructor(what: string, cause?: unknown) {
    super(`Shared state unavailable: ${what}${cause instanceof Error ? ` (${cause.message})` : ''}`, {
      cause,
    });
    this.name = 'McpStateUnavailableError';
  }
}
