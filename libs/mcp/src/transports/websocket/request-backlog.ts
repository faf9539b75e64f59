import type { RequestId } from '@modelcontextprotocol/server';

interface HeldRequest {
  readonly id: unknown;
  readonly message: unknown;
  readonly bytes: number;
}

/**
 * Requests a WebSocket read while its connection was at its in-flight cap, in arrival order.
 * The socket keeps being read, so answers to server requests and cancellations always get
 * through (pausing the socket would deadlock a handler waiting for the client's answer); only
 * new requests wait here, and the bytes they hold are counted against a bound.
 */
export class RequestBacklog {
  private held: HeldRequest[] = [];
  private head = 0;
  private heldBytes = 0;

  get size(): number {
    return this.held.length - this.head;
  }

  get bytes(): number {
    return this.heldBytes;
  }

  add(id: unknown, message: unknown, bytes: number): void {
    this.held.push({ id, message, bytes });
    this.heldBytes += bytes;
  }

  /** The oldest held request, or undefined. */
  take(): unknown {
    if (this.head >= this.held.length) return undefined;
    const next = this.held[this.head++]!;
    this.heldBytes -= next.bytes;
    if (this.head === this.held.length) {
      this.held = [];
      this.head = 0;
    }
    return next.message;
  }

  /** Drops a held request the client cancelled before it ran. True when there was one. */
  cancel(id: RequestId): boolean {
    const index = this.held.findIndex((request, at) => at >= this.head && request.id === id);
    if (index === -1) return false;
    this.heldBytes -= this.held[index]!.bytes;
    this.held.splice(index, 1);
    return true;
  }
}
