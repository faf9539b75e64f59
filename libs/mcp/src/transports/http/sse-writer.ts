import type { ServerResponse } from 'node:http';
import { Logger } from '@nestjs/common';
import type { TransportMeter } from '../../observability/transport-meter.js';
import type { HttpMeters } from './http-meters.js';
import { SESSION_ID_HEADER } from './http-responses.js';

const logger = new Logger('McpHttp');

export interface SseWriterOptions {
  /** Sent as `Mcp-Session-Id` (2025 sessions). */
  readonly sessionId?: string;
  /** Keep-alive comment interval in ms; 0 sends none. */
  readonly keepAliveMs: number;
  /**
   * Bytes written but not yet taken by the client, past which the stream is cut (the client
   * stopped reading). Written events stay in the event store, so a 2025 client resumes with
   * `Last-Event-ID` and loses nothing.
   */
  readonly maxBufferedBytes: number;
  readonly meters: HttpMeters;
}

/**
 * One open `text/event-stream` HTTP response. It writes events and keep-alive comments
 * and knows when the client has gone; what goes on it (and with which ids) is decided by
 * its owner. A client that stops reading is not queued for without bound: past
 * `maxBufferedBytes` of unsent data the response is destroyed, which its owner sees as the
 * client going away ('close').
 */
export class SseWriter {
  private keepAlive: NodeJS.Timeout | undefined;
  private ended = false;
  private readonly messages: TransportMeter;
  private readonly streams: TransportMeter;
  private readonly maxBufferedBytes: number;

  constructor(
    private readonly res: ServerResponse,
    options: SseWriterOptions,
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
    this.streams = options.meters.sse;
    this.maxBufferedBytes = options.maxBufferedBytes;
    // The client left before the stream opened: 'close' was emitted already and will not come
    // again, so there is nothing to keep alive and no open stream to count.
    if (res.closed) return;
    const streams = this.streams;
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
    this.write(
      id === undefined ? `event: message\ndata: ${json}\n\n` : `event: message\nid: ${id}\ndata: ${json}\n\n`,
    );
  }

  /**
   * The priming event: an id the client can resume from before any message was sent, and
   * when the server may end the stream early, how long to wait before resuming (`retry`).
   */
  prime(id: string, retryMs: number | undefined): void {
    if (!this.open) return;
    this.write(retryMs === undefined ? `id: ${id}\ndata: \n\n` : `id: ${id}\nretry: ${retryMs}\ndata: \n\n`);
  }

  comment(text: string): void {
    if (!this.open) return;
    this.write(`: ${text}\n\n`);
  }

  /**
   * Resolves true once the client has taken what was written (at once when little is
   * pending), false when it left, or stalled for `stallMs` (the stream is then cut). Replays
   * pace themselves with it, so a burst of stored events never trips `maxBufferedBytes`.
   */
  drained(stallMs: number): Promise<boolean> {
    if (!this.open) return Promise.resolve(false);
    if (!this.res.writableNeedDrain) return Promise.resolve(true);
    return new Promise((resolve) => {
      const settle = (taken: boolean) => {
        clearTimeout(timer);
        this.res.off('drain', onDrain);
        this.res.off('close', onClose);
        resolve(taken);
      };
      const onDrain = () => settle(true);
      const onClose = () => settle(false);
      const timer = setTimeout(() => {
        this.cutSlowReader();
        settle(false);
      }, stallMs);
      this.res.once('drain', onDrain);
      this.res.once('close', onClose);
    });
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

  private write(chunk: string): void {
    this.res.write(chunk);
    if (this.res.writableLength > this.maxBufferedBytes) this.cutSlowReader();
  }

  /** Ends a stream whose client stopped reading, freeing what was queued for it. */
  private cutSlowReader(): void {
    if (this.ended) return;
    const unsent = this.res.writableLength;
    this.ended = true;
    this.stopKeepAlive();
    this.streams.dropped('slow-consumer');
    logger.warn(
      `SSE stream closed: the client stopped reading (${unsent} unsent bytes, limit ${this.maxBufferedBytes})`,
    );
    this.res.destroy();
  }

  private stopKeepAlive(): void {
    if (this.keepAlive !== undefined) clearInterval(this.keepAlive);
    this.keepAlive = undefined;
  }
}
