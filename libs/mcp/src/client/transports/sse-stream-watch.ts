export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * Wraps `fetch` for the SDK's Streamable HTTP transport to see what middleboxes do to event
 * streams: a GET stream (2025 era) must answer `200 text/event-stream`; a 502 or a non-SSE
 * answer is recorded as the reason SSE does not work. It also notices resumptions
 * (`Last-Event-ID`) and the server's `retry` hints, so reconnections can be reported.
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

  constructor(private readonly baseFetch: FetchLike) {}

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
    const first = method === 'GET' && lastEventId === undefined;
    if (first) this.settleStandalone('GET stream open: 200 text/event-stream');
    return new Response(response.body.pipeThrough(this.observer()), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };

  /**
   * Resolves with how the 2025 GET stream was proven once its answer arrives (a stream a
   * proxy buffers never answers); rejects with the reason it is unusable.
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

  /** Passes bytes through untouched, reading `retry:` fields on the way. */
  private observer(): TransformStream<Uint8Array, Uint8Array> {
    const decoder = new TextDecoder();
    let pending = '';
    return new TransformStream({
      transform: (chunk, controller) => {
        controller.enqueue(chunk);
        pending += decoder.decode(chunk, { stream: true });
        const lines = pending.split(/\r\n|\r|\n/);
        pending = lines.pop() ?? '';
        for (const line of lines) {
          const retry = /^retry:\s*(\d+)\s*$/.exec(line);
          if (retry !== null) this.retryMs = Number(retry[1]);
        }
      },
    });
  }
}

function headerOf(headers: HeadersInit | undefined, name: string): string | undefined {
  if (headers === undefined) return undefined;
  return new Headers(headers).get(name) ?? undefined;
}
