import { JSON_AND_SSE } from '../../http/support/http-harness.js';

export interface SseEvent {
  readonly id?: string;
  readonly retry?: number;
  readonly data?: any;
}

/** The SSE events of a response as they arrive (for streams that stay open). */
export class SseReader {
  private buffer = '';
  private readonly events: SseEvent[] = [];
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();
  ended = false;

  constructor(readonly response: Response) {
    this.reader = response.body!.getReader();
  }

  /** The next event with data or an id; undefined when the stream ended first. */
  async next(timeoutMs = 10_000): Promise<SseEvent | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const event = this.events.shift();
      if (event !== undefined) return event;
      if (this.ended) return undefined;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no SSE event in time');
      let timer: NodeJS.Timeout | undefined;
      const chunk = await Promise.race([
        this.reader.read(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('no SSE event in time')), left);
        }),
      ]).finally(() => clearTimeout(timer));
      if (chunk.done) this.ended = true;
      else this.push(this.decoder.decode(chunk.value, { stream: true }));
    }
  }

  /** Events until one carrying a message that `stop` accepts (included); throws when the stream ends first. */
  async until(stop: (message: any) => boolean, timeoutMs = 10_000): Promise<SseEvent[]> {
    const seen: SseEvent[] = [];
    for (;;) {
      const event = await this.next(timeoutMs);
      if (event === undefined) throw new Error(`stream ended after ${JSON.stringify(seen)}`);
      seen.push(event);
      if (event.data !== undefined && stop(event.data)) return seen;
    }
  }

  /** Every event until the stream ends. */
  async rest(timeoutMs = 10_000): Promise<SseEvent[]> {
    const seen: SseEvent[] = [];
    for (;;) {
      const event = await this.next(timeoutMs);
      if (event === undefined) return seen;
      seen.push(event);
    }
  }

  cancel(): void {
    void this.reader.cancel().catch(() => undefined);
  }

  private push(text: string): void {
    this.buffer += text;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const event: { id?: string; retry?: number; data?: any } = {};
      for (const line of block.split('\n')) {
        if (line.startsWith('id:')) event.id = line.slice(3).trim();
        else if (line.startsWith('retry:')) event.retry = Number(line.slice(6));
        else if (line.startsWith('data:') && line.length > 6) event.data = JSON.parse(line.slice(5));
      }
      if (event.id !== undefined || event.data !== undefined) this.events.push(event);
    }
  }
}

/** A raw 2025-11-25 session client that chooses, request by request, the URL (instance) it talks to. */
export class RawSession {
  private nextId = 1;

  private constructor(readonly sessionId: string) {}

  /** A handle on an existing session (one an SDK client opened). */
  static resume(sessionId: string): RawSession {
    return new RawSession(sessionId);
  }

  static async open(
    url: string,
    capabilities: Record<string, unknown> = { elicitation: {} },
  ): Promise<RawSession> {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: JSON_AND_SSE },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 0,
        method: 'initialize',
        params: {
          protocolVersion: '2025-11-25',
          capabilities,
          clientInfo: { name: 'raw-fleet', version: '1' },
        },
      }),
    });
    const sessionId = response.headers.get('mcp-session-id');
    const text = await response.text();
    if (response.status !== 200 || sessionId === null)
      throw new Error(`initialize: ${response.status} ${text}`);
    const session = new RawSession(sessionId);
    await session.post(url, { jsonrpc: '2.0', method: 'notifications/initialized' });
    return session;
  }

  get headers(): Record<string, string> {
    return {
      'content-type': 'application/json',
      accept: JSON_AND_SSE,
      'mcp-session-id': this.sessionId,
      'mcp-protocol-version': '2025-11-25',
    };
  }

  post(url: string, message: Record<string, unknown>, signal?: AbortSignal): Promise<Response> {
    return fetch(url, { method: 'POST', headers: this.headers, body: JSON.stringify(message), signal });
  }

  /** Sends request `method` on `url`; resolves with its id and the response. */
  async request(
    url: string,
    method: string,
    params: Record<string, unknown> = {},
  ): Promise<{ id: number; response: Response }> {
    const id = this.nextId++;
    return { id, response: await this.post(url, { jsonrpc: '2.0', id, method, params }) };
  }

  /** `tools/call` answered as SSE (the handler sends messages before its answer). */
  async streamTool(
    url: string,
    name: string,
    args: Record<string, unknown> = {},
  ): Promise<{ id: number; stream: SseReader }> {
    const id = this.nextId++;
    const response = await fetch(url, {
      method: 'POST',
      headers: { ...this.headers, accept: 'text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } }),
    });
    if (response.status !== 200)
      throw new Error(`tools/call ${name}: ${response.status} ${await response.text()}`);
    return { id, stream: new SseReader(response) };
  }

  /** Answers server request `id` with `result`; resolves with the HTTP status. */
  async answer(url: string, id: unknown, result: Record<string, unknown>): Promise<number> {
    const response = await this.post(url, { jsonrpc: '2.0', id, result });
    await response.text();
    return response.status;
  }

  /** GET: the session's stream, or the resumption of one after `lastEventId`. */
  async get(url: string, lastEventId?: string): Promise<Response> {
    return fetch(url, {
      method: 'GET',
      headers: {
        accept: 'text/event-stream',
        'mcp-session-id': this.sessionId,
        'mcp-protocol-version': '2025-11-25',
        ...(lastEventId !== undefined && { 'last-event-id': lastEventId }),
      },
    });
  }

  async ping(url: string): Promise<number> {
    const { response } = await this.request(url, 'ping');
    await response.text();
    return response.status;
  }

  async delete(url: string): Promise<number> {
    const response = await fetch(url, { method: 'DELETE', headers: this.headers });
    await response.text();
    return response.status;
  }
}

/** A raw polling channel (`Mcp-Transport: polling`) whose every request names the instance it goes to. */
export class RawChannel {
  cursor = 0;

  private constructor(
    readonly channelId: string,
    private readonly extraHeaders: Record<string, string>,
  ) {}

  static async open(
    url: string,
    headers: Record<string, string> = {},
    pollTimeoutMs = 5_000,
  ): Promise<RawChannel> {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'mcp-transport': 'polling',
        'content-type': 'application/json',
        accept: 'application/json',
        ...headers,
      },
      body: JSON.stringify({ pollTimeoutMs }),
    });
    const body = (await response.json()) as { channelId: string };
    if (response.status !== 201) throw new Error(`open: ${response.status} ${JSON.stringify(body)}`);
    return new RawChannel(body.channelId, headers);
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return {
      'mcp-transport': 'polling',
      'mcp-channel-id': this.channelId,
      accept: 'application/json',
      ...this.extraHeaders,
      ...extra,
    };
  }

  /** POSTs one message; resolves with the status and the body (JSON, or undefined when empty). */
  async send(
    url: string,
    message: Record<string, unknown>,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: any }> {
    const response = await fetch(url, {
      method: 'POST',
      headers: this.headers({ 'content-type': 'application/json', ...headers }),
      body: JSON.stringify(message),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
  }

  /** One poll after the cursor; moves the cursor past what it got. */
  async poll(
    url: string,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; events: any[]; closed?: boolean; body: any }> {
    const response = await fetch(url, {
      method: 'GET',
      headers: this.headers({ 'last-event-id': String(this.cursor), ...headers }),
    });
    const body = (await response.json()) as {
      events?: Array<{ id: number; message: any }>;
      closed?: boolean;
    };
    const events = body.events ?? [];
    if (events.length > 0) this.cursor = events.at(-1)!.id;
    return {
      status: response.status,
      events: events.map((event) => event.message),
      closed: body.closed,
      body,
    };
  }

  /** Polls (round robin over `urls`) until a message `stop` accepts arrives; returns every message seen. */
  async pollUntil(
    urls: readonly string[],
    stop: (message: any) => boolean,
    timeoutMs = 10_000,
  ): Promise<any[]> {
    const seen: any[] = [];
    const deadline = Date.now() + timeoutMs;
    for (let round = 0; Date.now() < deadline; round++) {
      const { status, events, body } = await this.poll(urls[round % urls.length]!);
      if (status !== 200) throw new Error(`poll: ${status} ${JSON.stringify(body)}`);
      seen.push(...events);
      if (events.some(stop)) return seen;
    }
    throw new Error(`nothing accepted in time: ${JSON.stringify(seen)}`);
  }

  async close(url: string): Promise<number> {
    const response = await fetch(url, { method: 'DELETE', headers: this.headers() });
    await response.text();
    return response.status;
  }
}
