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
  readonly keepAliveMs: number;
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
 * before the result (progress, logs, server requests) when the client accepts SSE and the
 * response mode allows it; `responseMode: 'sse'` or a client accepting only SSE stream from
 * the start.
 */
export class PostExchange {
  private sse: SseWriter | undefined;
  private resumable: ResumableStream | undefined;
  private answered = false;
  private readonly mustStream: boolean;
  private readonly mayStream: boolean;

  constructor(
    private readonly res: ServerResponse,
    private readonly options: PostExchangeOptions,
  ) {
    const { acceptance, responseMode } = options;
    this.mayStream = acceptance.sse && (responseMode !== 'json' || !acceptance.json);
    this.mustStream = acceptance.sse && (responseMode === 'sse' || !acceptance.json);
  }

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
      this.answered = true;
      this.options.onAnswer?.(message);
    }
    if (this.sse === undefined) {
      if (final && !this.mustStream) {
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
      this.sse = new SseWriter(this.res, {
        sessionId: this.options.sessionId,
        keepAliveMs: this.options.keepAliveMs,
        meters: this.options.meters,
      });
      this.resumable = this.options.openResumable?.(this.sse);
    }
    return this.resumable;
  }

  /** Ends the HTTP response without an answer (session closed, shutdown). */
  end(): void {
    this.answered = true;
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
}

/** The status of a JSON answer: 200, or what the wire table says for its error. */
function statusOf(message: JSONRPCMessage, options: PostExchangeOptions): number {
  const error = (message as { error?: { code?: unknown } }).error;
  return error === undefined ? 200 : httpStatusOfErrorAnswer(error.code, options.era);
}
