import type { ServerResponse } from 'node:http';
import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import { httpStatusOfErrorAnswer } from '../../errors/wire-errors.js';
import type { HttpMeters } from './http-meters.js';
import type { Acceptance } from './http-negotiation.js';
import { writeError, writeJson } from './http-responses.js';
import type { ResumableStream } from './resumable-stream.js';
import { SseWriter } from './sse-writer.js';

export interface PostExchangeOptions {
  readonly acceptance: Acceptance;
  readonly responseMode: 'auto' | 'json' | 'sse';
  /**
   * `auto` mode, client accepting both: ms an answer may take and still come as plain JSON;
   * past it the response becomes an SSE stream with keep-alive comments.
   */
  readonly streamAfterMs: number;
  readonly keepAliveMs: number;
  readonly maxBufferedBytes: number;
  readonly meters: HttpMeters;
  /** Sent as `Mcp-Session-Id` (the `initialize` answer). */
  readonly sessionId?: string;
  /**
   * 2025 era: streams are resumable. Called when the exchange starts streaming, it returns
   * the session's stream for this POST (events get ids from the event store).
   */
  readonly openResumable?: (writer: SseWriter) => ResumableStream;
  /** Called once with the answer to the request. */
  readonly onAnswer?: (message: JSONRPCMessage) => void;
  /** The era the request belongs to; it decides the HTTP status of some error answers. */
  readonly era: 'modern' | 'legacy';
}

/**
 * The HTTP answer to one POSTed JSON-RPC request. It stays a plain JSON response while
 * only the result comes, and turns into an SSE stream the moment a message must go out
 * before the result (progress, logs, server requests) or the result takes longer than
 * `streamAfterMs`, when the client accepts SSE and the response mode allows it;
 * `responseMode: 'sse'` or a client accepting only SSE stream from the start. A streaming
 * response sends keep-alive comments, so proxies with idle timeouts do not cut long calls;
 * a client that accepts only JSON gets nothing until its answer.
 */
export class PostExchange {
  private sse: SseWriter | undefined;
  private resumable: ResumableStream | undefined;
  private answered = false;
  private readonly mayStream: boolean;
  private streamTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly res: ServerResponse,
    private readonly options: PostExchangeOptions,
  ) {
    const { acceptance, responseMode } = options;
    this.mayStream = acceptance.sse && (responseMode !== 'json' || !acceptance.json);
    const mustStream = acceptance.sse && (responseMode === 'sse' || !acceptance.json);
    if (mustStream) {
      // The stream's headers go out at once: a proxy sees bytes before the handler's first message.
      this.startStreaming();
    } else if (this.mayStream && Number.isFinite(options.streamAfterMs)) {
      this.streamTimer = setTimeout(this.streamIfSlow, options.streamAfterMs);
    }
  }

  private readonly streamIfSlow = (): void => {
    this.streamTimer = undefined;
    if (this.answered || this.res.destroyed) return;
    this.startStreaming();
  };

  get isAnswered(): boolean {
    return this.answered;
  }

  get isStreaming(): boolean {
    return this.sse !== undefined;
  }

  /** A message for this request; `final` when it is the request's answer. */
  deliver(message: JSONRPCMessage, final: boolean): Promise<void> | undefined {
    if (this.answered) return undefined;
    if (final) {
      this.finish();
      this.options.onAnswer?.(message);
    }
    if (this.sse === undefined) {
      if (final) {
        this.options.meters.http.messageOut();
        writeJson(this.res, statusOf(message, this.options), JSON.stringify(message), this.options.sessionId);
        return undefined;
      }
      // A message before the result with no way to stream it is dropped (JSON-only client).
      if (!final && !this.mayStream) return undefined;
      this.startStreaming();
    }
    if (this.resumable !== undefined) return this.resumable.push(message, final);
    this.sse!.event(JSON.stringify(message));
    if (final) this.sse!.end();
    return undefined;
  }

  /** Switches to SSE now (SSE polling needs a stream to end). Returns the resumable stream, if any. */
  startStreaming(): ResumableStream | undefined {
    if (this.sse === undefined) {
      this.sse = new SseWriter(this.res, this.options);
      this.resumable = this.options.openResumable?.(this.sse);
    }
    return this.resumable;
  }

  /**
   * The client cancelled the request (2025 `notifications/cancelled`): the response ends
   * without an answer, as the spec has no response follow a cancellation. A stream ends
   * (an empty one when none was open yet); a JSON-only client gets 204 No Content.
   */
  abandon(): void {
    if (this.answered) return;
    this.finish();
    if (this.sse === undefined && !this.mayStream) {
      if (!this.res.headersSent && !this.res.destroyed) {
        this.res.writeHead(204);
        this.res.end();
      }
      return;
    }
    const resumable = this.startStreaming();
    if (resumable !== undefined) void resumable.finish();
    else this.sse!.end();
  }

  /** Ends the HTTP response without an answer (session closed, shutdown). */
  end(): void {
    this.finish();
    if (this.sse !== undefined) this.sse.end();
    else
      writeError(
        this.res,
        'at-capacity',
        'Service Unavailable: the request was not answered before the server closed it',
        null,
        undefined,
        { 'retry-after': '5' },
      );
  }

  private finish(): void {
    this.answered = true;
    if (this.streamTimer !== undefined) clearTimeout(this.streamTimer);
    this.streamTimer = undefined;
  }
}

/** The status of a JSON answer: 200, or what the wire table says for its error. */
function statusOf(message: JSONRPCMessage, options: PostExchangeOptions): number {
  const error = (message as { error?: { code?: unknown } }).error;
  return error === undefined ? 200 : httpStatusOfErrorAnswer(error.code, options.era);
}
