import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/server';
import type { McpMessageExtra, McpTransport } from '../transport.interface.js';
import type { PostExchange } from './post-exchange.js';

/**
 * The transport of one stateless 2026-era POST: the protocol engine gets a fresh
 * connection for it, every message the engine sends belongs to the one request, and the
 * answer to that request ends the exchange. When the client goes away first the transport
 * closes, which aborts the handler (its `signal`) and ends any `subscriptions/listen`.
 */
export class ModernRequestTransport implements McpTransport {
  onmessage?: McpTransport['onmessage'];
  onclose?: () => void;
  onerror?: (error: Error) => void;
  private closed = false;

  constructor(
    private readonly exchange: PostExchange,
    private readonly requestId: RequestId,
  ) {}

  async start(): Promise<void> {}

  deliver(message: JSONRPCMessage, extra: McpMessageExtra): void {
    this.onmessage?.(message, extra);
  }

  send(message: JSONRPCMessage): Promise<void> {
    const final = isAnswerTo(message, this.requestId);
    return this.exchange.deliver(message, final) ?? Promise.resolve();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.exchange.end();
    this.onclose?.();
  }
}

/** Whether `message` is the response (result or error) to request `id`. */
export function isAnswerTo(message: JSONRPCMessage, id: RequestId): boolean {
  return (message as { id?: unknown }).id === id && !('method' in message);
}
