export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * Wraps `fetch` for the SDK's Streamable HTTP transport to see what middleboxes do to event
 * streams: a GET stream (2025 era) must answer `200 text/event-stream` and then deliver its
 * first event (the server's priming event, an id with empty data); a 502, a non-SSE answer or
 * a stream that ends first is recorded as the reason SSE does not work. Headers alone prove
 * nothing: a proxy that buffers bodies passes them and withholds every event. It also notices
 * resumptions (`Last-Event-ID`) and the server's `retry` hints, so reconnections can be reported.
 */
export class SseStreamWatch {
  /** The last `retry:` the server sent on any stream, in ms. */
  retryMs: number | undefined;
  /**
   * Called when the SDK reopens a stream on its own: with `Last-Event-ID` (a resumption) or
   * a fresh GET stream after the first one dropped.
   */
  onReconnect?: (detail: string, resumed: boolean) => void;

  private standalone: { resolve: (proof: string) => void; reject: (error: Error) => void } | undefined;
  private standaloneOutcome: { proof?: string; error?: Error } | undefined;
  /** The first GET stream answered `200 text/event-stream`. */
  private standaloneAnswered = false;

  /**
   * `proof`: what settles the GET stream's proof, its first event, or (the last resort for a
   * server that does not prime its GET stream) its headers.
   */
  constructor(
    private readonly baseFetch: FetchLike,
    private readonly proof: 'first-event' | 'headers' = 'first-event',
  ) {}

  readonly fetch: FetchLike = async (input, init) => {
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const lastEventId = headerOf(init?.headers, 'last-event-id');
    const response = await this.baseFetch(input, init);
    const isSse = (response.headers.get('content-type') ?? '').includes('text/event-stream');
    if (lastEventId !== undefined) {
      this.onReconnect?.(`resumed after event ${lastEventId}: HTTP ${response.status}`, true);
    } else if (method === 'GET' && this.standaloneOutcome !== undefined) {
      this.onReconnect?.(`reopened the GET stream: HTTP ${response.status}`, false);
    }
    if (method === 'GET' && lastEventId === undefined) {
      // 405 is the spec's "no GET stream here"; some servers say 404. The server then sends
      // nothing unsolicited, so there is nothing a proxy could withhold: POST responses only.
      if (response.status === 405 || response.status === 404) {
        this.settleStandalone(`no GET stream offered (HTTP ${response.status}): POST responses only`);
      } else if (!response.ok)
        this.settleStandalone(undefined, `GET stream answered HTTP ${response.status}`);
      else if (!isSse) {
        this.settleStandalone(
          undefined,
          `GET stream answered ${response.headers.get('content-type') ?? 'no content type'}, not text/event-stream`,
        );
      }
    }
    if (!isSse || response.body === null) return response;
    const proving = method === 'GET' && lastEventId === undefined && this.standaloneOutcome === undefined;
    if (proving) {
      this.standaloneAnswered = true;
      if (this.proof === 'headers') this.settleStandalone('GET stream open: 200 text/event-stream');
    }
    return new Response(response.body.pipeThrough(this.observer(proving)), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };

  /** The first GET stream answered `200 text/event-stream` and has sent no event yet. */
  get standaloneUnprimed(): boolean {
    return this.standaloneAnswered && this.standaloneOutcome === undefined;
  }

  /**
   * Resolves with how the 2025 GET stream was proven once its first event arrives (on a stream
   * a proxy buffers it never does); rejects with the reason it is unusable.
   */
  standaloneStream(): Promise<string> {
    if (this.standaloneOutcome !== undefined) {
      const { proof, error } = this.standaloneOutcome;
      return error === undefined ? Promise.resolve(proof ?? '') : Promise.reject(error);
    }
    return new Promise((resolve, reject) => (this.standalone = { resolve, reject }));
  }

  private settleStandalone(proof: string | undefined, failure?: string): void {
    if (this.standaloneOutcome !== undefined) return;
    this.standaloneOutcome = failure === undefined ? { proof } : { error: new Error(failure) };
    if (failure === undefined) this.standalone?.resolve(proof ?? '');
    else this.standalone?.reject(new Error(failure));
  }

  /**
   * Passes bytes through untouched, reading `retry:` fields on the way; when `proving` (the
   * first GET stream), the first complete event settles the proof. An event is a block of
   * fields ended by a blank line; comments (keep-alives) are not events.
   */
  private observer(proving: boolean): TransformStream<Uint8Array, Uint8Array> {
    const decoder = new TextDecoder();
    let pending = '';
    let inEvent = false;
    return new TransformStream({
      transform: (chunk, controller) => {
        controller.enqueue(chunk);
        pending += decoder.decode(chunk, { stream: true });
        const lines = pending.split(/\r\n|\r|\n/);
        pending = lines.pop() ?? '';
        for (const line of lines) {
          if (line === '') {
            if (inEvent && proving) {
              proving = false;
              this.settleStandalone('first event on the GET stream');
            }
            inEvent = false;
          } else if (!line.startsWith(':')) {
            inEvent = true;
            const retry = /^retry:\s*(\d+)\s*$/.exec(line);
            if (retry !== null) this.retryMs = Number(retry[1]);
          }
        }
      },
      flush: () => {
        if (proving) this.settleStandalone(undefined, 'the GET stream ended before its first event');
      },
    });
  }
}

function headerOf(headers: HeadersInit | undefined, name: string): string | undefined {
  if (headers === undefined) return undefined;
  return new Headers(headers).get(name) ?? undefined;
}
