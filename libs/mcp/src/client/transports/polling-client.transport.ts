import type { JSONRPCMessage, Transport, TransportSendOptions } from '@modelcontextprotocol/client';
import {
  CHANNEL_ID_HEADER,
  CURSOR_HEADER,
  isChannelGrant,
  isPollingBatch,
  type PollingEvent,
  POLLING_TRANSPORT,
  retryAfterMs as parseRetryAfter,
  TRANSPORT_HEADER,
} from './polling-wire.js';
import { withStatus } from '../refusal-status.js';

/** Reported before each retry of a failed poll. */
export interface PollingReconnectEvent {
  /** 1 for the first retry after a success, then 2, 3... */
  readonly attempt: number;
  /** How long the transport waits before polling again (backoff or the server's `Retry-After`). */
  readonly delayMs: number;
  /** Why the poll failed. */
  readonly error: Error;
  /** The cursor the next poll resumes from: nothing after it is lost. */
  readonly cursor: number;
}

export interface PollingClientTransportOptions {
  /** Default: the global `fetch`. A wrapper can add auth or go through a test middlebox. */
  fetch?: typeof fetch;
  /** Extra headers on every request (e.g. `Authorization`). */
  headers?: Record<string, string>;
  /** Ask the server to hold polls at most this long (it clamps to its own maximum). */
  pollTimeoutMs?: number;
  /** Failed polls in a row tolerated before the transport gives up and closes. Default 5. */
  maxRetries?: number;
  /** First retry delay; doubles per failure up to `maxRetryDelayMs`. Default 250 ms. */
  retryDelayMs?: number;
  /** Default 5,000 ms. */
  maxRetryDelayMs?: number;
  /**
   * A poll with no answer this long after the server's poll timeout is abandoned and retried
   * (a middlebox that holds it forever). Default 10,000 ms.
   */
  pollGraceMs?: number;
  /** Called before each retry of a failed poll (reconnection report). */
  onReconnect?: (event: PollingReconnectEvent) => void;
}

/** How long `close()` waits for the DELETE before giving up on it. */
const CLOSE_TIMEOUT_MS = 5_000;
/** A `Retry-After` longer than this is not honoured as such: the transport would look hung. */
const MAX_RETRY_AFTER_MS = 60_000;

/**
 * MCP over the polling transport extension (`Mcp-Transport: polling`), for networks where no
 * streaming response survives: every server message arrives in a complete, bounded
 * `application/json` answer to a long poll. Runs in browsers and Node (global `fetch` and
 * `AbortController` only).
 *
 * `start()` opens the channel; then one poll is always outstanding, re-sent as soon as it is
 * answered, carrying the id of the last event received (`Last-Event-ID`) so the server drops
 * what was delivered and sends again what a lost answer carried; events at or below that
 * cursor are ignored, so nothing is delivered twice. A failed poll is retried with backoff
 * (reported through `onerror` and `onReconnect`) up to `maxRetries` in a row. Each `send()` is
 * one POST, in order (the next waits for the previous one's 202), as on a stream.
 */
export class PollingClientTransport implements Transport {
  onmessage?: Transport['onmessage'];
  onclose?: () => void;
  onerror?: (error: Error) => void;
  /** Unused: a channel is not an HTTP session. */
  sessionId?: string;

  private readonly fetchImpl: typeof fetch;
  private readonly options: PollingClientTransportOptions;
  private id: string | undefined;
  private lastEventId = 0;
  private pollTimeoutMs = 0;
  private started = false;
  private ended = false;
  private sendChain: Promise<void> = Promise.resolve();
  private pollAbort: AbortController | undefined;
  private wakeSleeper: (() => void) | undefined;

  constructor(
    private readonly url: URL,
    options: PollingClientTransportOptions = {},
  ) {
    this.options = options;
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  /** The channel's id once `start()` opened it. */
  get channelId(): string | undefined {
    return this.id;
  }

  /** Id of the last event received: what the next poll acknowledges. */
  get cursor(): number {
    return this.lastEventId;
  }

  /** Opens the channel (POST), then starts polling. Rejects when the server refuses it. */
  async start(): Promise<void> {
    if (this.started) throw new Error('PollingClientTransport already started');
    this.started = true;
    const requested = this.options.pollTimeoutMs;
    const response = await this.fetchImpl(this.url, {
      method: 'POST',
      headers: this.headers({ 'content-type': 'application/json', accept: 'application/json' }),
      body: JSON.stringify(requested === undefined ? {} : { pollTimeoutMs: requested }),
    });
    if (response.status !== 201 && response.status !== 200) {
      throw await httpError('open the polling channel', response);
    }
    const grant: unknown = await response.json();
    if (!isChannelGrant(grant)) throw new Error('Polling channel: the open answer has no channelId');
    this.id = grant.channelId;
    this.pollTimeoutMs = grant.pollTimeoutMs;
    void this.pollLoop();
  }

  /** Posts one message; resolves on the server's 202. Sends go out one after another, in order. */
  send(message: JSONRPCMessage, _options?: TransportSendOptions): Promise<void> {
    if (this.id === undefined) return Promise.reject(new Error('PollingClientTransport not started'));
    if (this.ended) return Promise.reject(new Error('PollingClientTransport is closed'));
    const sent = this.sendChain.then(() => this.post(message));
    this.sendChain = sent.catch(() => undefined);
    return sent;
  }

  /** Stops polling and closes the channel (DELETE, best effort). */
  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.pollAbort?.abort();
    this.wakeSleeper?.();
    const channelId = this.id;
    if (channelId !== undefined) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), CLOSE_TIMEOUT_MS);
      try {
        const response = await this.fetchImpl(this.url, {
          method: 'DELETE',
          headers: this.headers({ [CHANNEL_ID_HEADER]: channelId }),
          signal: controller.signal,
        });
        await response.text();
      } catch {
        // The server forgets an abandoned channel after its idle timeout.
      } finally {
        clearTimeout(timer);
      }
    }
    this.onclose?.();
  }

  private async post(message: JSONRPCMessage): Promise<void> {
    if (this.ended) throw new Error('PollingClientTransport is closed');
    const response = await this.fetchImpl(this.url, {
      method: 'POST',
      headers: this.headers({
        'content-type': 'application/json',
        accept: 'application/json',
        [CHANNEL_ID_HEADER]: this.id!,
      }),
      body: JSON.stringify(message),
    });
    if (response.status === 202 || response.status === 200 || response.status === 204) {
      await response.text();
      return;
    }
    const error = await httpError('send', response);
    if (response.status === 404) this.serverEnded(error);
    throw error;
  }

  private async pollLoop(): Promise<void> {
    let failures = 0;
    while (!this.ended) {
      let retryAfter: number | undefined;
      try {
        const closed = await this.pollOnce();
        failures = 0;
        if (closed) return this.serverEnded(undefined);
        continue;
      } catch (error) {
        if (this.ended) return;
        if (error instanceof ChannelGoneError) return this.serverEnded(error);
        retryAfter = error instanceof PollHttpError ? error.retryAfterMs : undefined;
        failures++;
        const failure = error instanceof Error ? error : new Error(String(error));
        const maxRetries = this.options.maxRetries ?? 5;
        if (failures > maxRetries) {
          return this.serverEnded(
            new Error(`Polling channel lost after ${failures} failed polls: ${failure.message}`),
          );
        }
        this.onerror?.(failure);
        const delayMs = retryAfter ?? this.backoff(failures);
        this.options.onReconnect?.({ attempt: failures, delayMs, error: failure, cursor: this.lastEventId });
        await this.sleep(delayMs);
      }
    }
  }

  /** One poll; true when the server said the channel is over. */
  private async pollOnce(): Promise<boolean> {
    const controller = new AbortController();
    this.pollAbort = controller;
    const deadline = this.pollTimeoutMs + (this.options.pollGraceMs ?? 10_000);
    const timer = setTimeout(
      () => controller.abort(new Error(`no poll answer within ${deadline} ms`)),
      deadline,
    );
    try {
      const extra: Record<string, string> = { accept: 'application/json', [CHANNEL_ID_HEADER]: this.id! };
      if (this.lastEventId > 0) extra[CURSOR_HEADER] = String(this.lastEventId);
      const response = await this.fetchImpl(this.url, {
        method: 'GET',
        headers: this.headers(extra),
        signal: controller.signal,
      });
      if (response.status === 404 || isFinalRefusal(response.status)) {
        throw new ChannelGoneError(await httpError('poll', response));
      }
      if (response.status !== 200) {
        const error = await httpError('poll', response);
        throw new PollHttpError(error.message, parseRetryAfter(response.headers.get('retry-after')));
      }
      const batch: unknown = await response.json();
      if (!isPollingBatch(batch)) throw new Error('Polling channel: malformed poll answer');
      await this.deliver(batch.events);
      return batch.closed === true;
    } catch (error) {
      // An abort by close() is not a failure; an abort by the deadline is.
      if (controller.signal.aborted && !this.ended) throw controller.signal.reason ?? error;
      throw error;
    } finally {
      clearTimeout(timer);
      if (this.pollAbort === controller) this.pollAbort = undefined;
    }
  }

  private async deliver(events: readonly PollingEvent[]): Promise<void> {
    let notified = false;
    for (const event of events) {
      // Already delivered (the answer carrying it was resent): nothing twice.
      if (event.id <= this.lastEventId) continue;
      if (notified && isResponse(event.message)) {
        // SDK clients run notification handlers a microtask late but settle responses at once:
        // a progress notification and its result in one batch need a task between them, as
        // they would get arriving on a socket.
        await nextTask();
        notified = false;
      }
      if (this.ended) return;
      this.lastEventId = event.id;
      if (!('id' in event.message)) notified = true;
      try {
        this.onmessage?.(event.message);
      } catch (error) {
        this.onerror?.(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }

  /** The server ended the channel (final batch, 404) or it could not be reached any more. */
  private serverEnded(error: Error | undefined): void {
    if (this.ended) return;
    this.ended = true;
    this.pollAbort?.abort();
    if (error !== undefined) this.onerror?.(error);
    this.onclose?.();
  }

  private backoff(failures: number): number {
    const first = this.options.retryDelayMs ?? 250;
    const max = this.options.maxRetryDelayMs ?? 5_000;
    return Math.min(max, first * 2 ** (failures - 1));
  }

  /** Waits before a retry; `close()` cuts it short. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeSleeper = undefined;
        resolve();
      };
      const timer = setTimeout(done, Math.min(ms, MAX_RETRY_AFTER_MS));
      this.wakeSleeper = done;
    });
  }

  private headers(extra: Record<string, string>): Record<string, string> {
    return { ...this.options.headers, ...extra, [TRANSPORT_HEADER]: POLLING_TRANSPORT };
  }
}

/** A poll answered with an HTTP error worth retrying (5xx, 429...), with its `Retry-After`. */
class PollHttpError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number | undefined,
  ) {
    super(message);
  }
}

function isResponse(message: JSONRPCMessage): boolean {
  return 'id' in message && !('method' in message);
}

function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** A client error other than timeout and rate limit: the same poll would fail again. */
function isFinalRefusal(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

/** The server no longer knows the channel (404) or refuses the poll itself: retrying cannot help. */
class ChannelGoneError extends Error {
  constructor(cause: Error) {
    super(cause.message);
  }
}

async function httpError(action: string, response: Response): Promise<Error> {
  let detail = '';
  try {
    const text = await response.text();
    const body = JSON.parse(text) as { error?: { message?: string } };
    detail = body.error?.message ?? text;
  } catch {
    // Not JSON: the status says enough.
  }
  return withStatus(
    new Error(`Polling: could not ${action}: HTTP ${response.status}${detail === '' ? '' : ` (${detail})`}`),
    response.status,
  );
}
