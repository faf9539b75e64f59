import type { ServerResponse } from 'node:http';
import type { TransportMeter } from '../../observability/transport-meter.js';
import type { HttpMeters } from './http-meters.js';
import { SESSION_ID_HEADER } from './http-responses.js';

/**
 * One open `text/event-stream` HTTP response. It writes events and keep-alive comments
 * and knows when the client has gone; what goes on it (and with which ids) is decided by
 * its owner.
 */
export class SseWriter {
  private keepAlive: NodeJS.Timeout | undefined;
  private ended = false;
  private readonly messages: TransportMeter;

  constructor(
    private readonly res: ServerResponse,
    options: { sessionId?: string; keepAliveMs: number; meters: HttpMeters },
  ) {
    const headers: Record<string, string> = {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    };
    if (options.sessionId !== undefined) headers[SESSION_ID_HEADER] = options.sessionId;
    res.writeHead(200, headers);
    res.flushHeaders();
    this.messages = options.meters.http;
    // The client left before the stream opened: 'close' was emitted already and will not come
    // again, so there is nothing to keep alive and no open stream to count.
    if (res.closed) return;
    const streams = options.meters.sse;
    streams.opened();
    if (options.keepAliveMs > 0) {
      this.keepAlive = setInterval(() => this.comment('keepalive'), options.keepAliveMs);
      this.keepAlive.unref();
    }
    res.once('close', () => {
      this.stopKeepAlive();
      streams.closed();
    });
  }

  /** False once the stream was ended here or the client went away. */
  get open(): boolean {
    return !this.ended && !this.res.destroyed && !this.res.writableEnded;
  }

  /** A JSON-RPC message as a `message` event, with an id when it is resumable. */
  event(json: string, id?: string): void {
    if (!this.open) return;
    this.messages.messageOut();
    this.res.write(
      id === undefined ? `event: message\ndata: ${json}\n\n` : `event: message\nid: ${id}\ndata: ${json}\n\n`,
    );
  }

  /**
   * The priming event: an id the client can resume from before any message was sent, and
   * when the server may end the stream early, how long to wait before resuming (`retry`).
   */
  prime(id: string, retryMs: number | undefined): void {
    if (!this.open) return;
    this.res.write(
      retryMs === undefined ? `id: ${id}\ndata: \n\n` : `id: ${id}\nretry: ${retryMs}\ndata: \n\n`,
    );
  }

  comment(text: string): void {
    if (!this.open) return;
    this.res.write(`: ${text}\n\n`);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.stopKeepAlive();
    if (!this.res.writableEnded) this.res.end();
  }

  onClose(listener: () => void): void {
    this.res.once('close', listener);
  }

  private stopKeepAlive(): void {
    if (this.keepAlive !== undefined) clearInterval(this.keepAlive);
    this.keepAlive = undefined;
  }
}
