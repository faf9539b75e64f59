import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { modernMeta } from '../../http/support/http-harness.js';

/**
 * Raw JSON-RPC peers, one per transport and protocol era, behind one interface, so a wire
 * rule is asserted once and checked everywhere it applies. They send exactly what a test
 * gives them (raw text included) and record every message that comes back, in order.
 */

export type Era = '2025' | '2026';
export type TransportKind = 'streamable-http' | 'websocket' | 'polling' | 'stdio';
export type WireMessage = Record<string, any>;

export const MODERN_VERSION = '2026-07-28';
export const LEGACY_VERSION = '2025-11-25';
export const JSON_AND_SSE = 'application/json, text/event-stream';

/** The compiled stdio fixture: the test catalog's tools over stdin/stdout. */
const STDIO_FIXTURE = fileURLToPath(new URL('../fixture/wire-fixture.main.js', import.meta.url));

export interface WirePeer {
  readonly transport: TransportKind;
  readonly era: Era;
  /** Every message received so far (HTTP error bodies included), in arrival order. */
  readonly received: WireMessage[];
  /** Sends one value as it is; a string is sent as raw text. */
  sendRaw(value: unknown): Promise<void>;
  /** Sends a request with the era's envelope (`_meta` merged with `meta`). */
  request(
    id: unknown,
    method: string,
    params?: Record<string, unknown>,
    meta?: Record<string, unknown>,
  ): Promise<void>;
  notify(method: string, params?: Record<string, unknown>): Promise<void>;
  /** The first message (received or still to come) that satisfies `predicate`. */
  waitFor(predicate: (message: WireMessage) => boolean, timeoutMs?: number): Promise<WireMessage>;
  close(): Promise<void>;
}

export function answerTo(id: unknown): (message: WireMessage) => boolean {
  return (message) => message['id'] === id && !('method' in message);
}

/** Shared bookkeeping: the received list and waiting for a match. */
abstract class BasePeer implements WirePeer {
  readonly received: WireMessage[] = [];
  private waiters: Array<() => void> = [];

  constructor(
    readonly transport: TransportKind,
    readonly era: Era,
  ) {}

  abstract sendRaw(value: unknown): Promise<void>;
  abstract close(): Promise<void>;

  request(
    id: unknown,
    method: string,
    params: Record<string, unknown> = {},
    meta: Record<string, unknown> = {},
  ): Promise<void> {
    const merged = this.era === '2026' ? modernMeta(meta) : meta;
    const withMeta = Object.keys(merged).length === 0 ? params : { ...params, _meta: merged };
    return this.sendRaw({ jsonrpc: '2.0', id, method, params: withMeta });
  }

  notify(method: string, params?: Record<string, unknown>): Promise<void> {
    return this.sendRaw({ jsonrpc: '2.0', method, ...(params !== undefined && { params }) });
  }

  protected receive(message: WireMessage): void {
    this.received.push(message);
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  async waitFor(predicate: (message: WireMessage) => boolean, timeoutMs = 5_000): Promise<WireMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find(predicate);
      if (found !== undefined) return found;
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new Error(
          `${this.transport} ${this.era}: no matching message; received ${JSON.stringify(this.received)}`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** 2025 era: `initialize` and `notifications/initialized` before anything else. */
  protected async handshake(): Promise<void> {
    await this.sendRaw({
      jsonrpc: '2.0',
      id: 'handshake',
      method: 'initialize',
      params: {
        protocolVersion: LEGACY_VERSION,
        capabilities: { elicitation: { form: {} } },
        clientInfo: { name: 'wire-peer', version: '0.0.1' },
      },
    });
    const answer = await this.waitFor(answerTo('handshake'));
    if (!('result' in answer)) throw new Error(`initialize failed: ${JSON.stringify(answer)}`);
    await this.notify('notifications/initialized');
  }
}

function textOf(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Parses a text that may not be JSON (what the peer sent raw). */
function tryParse(text: string): WireMessage | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === 'object' ? (value as WireMessage) : undefined;
  } catch {
    return undefined;
  }
}

// ---- Streamable HTTP -----------------------------------------------------------------------------

/**
 * Streamable HTTP: each sent value is a POST (in the session for 2025); the POST's answer,
 * JSON or SSE, is read as it streams and each message lands in `received`. HTTP statuses are
 * kept beside, per POST.
 */
class HttpPeer extends BasePeer {
  sessionId: string | undefined;
  readonly statuses: number[] = [];
  private readonly inFlight = new Set<AbortController>();

  constructor(
    private readonly url: string,
    era: Era,
  ) {
    super('streamable-http', era);
  }

  static async connect(url: string, era: Era): Promise<HttpPeer> {
    const peer = new HttpPeer(url, era);
    if (era === '2025') await peer.handshake();
    return peer;
  }

  async sendRaw(value: unknown): Promise<void> {
    const text = textOf(value);
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: JSON_AND_SSE };
    const parsed = tryParse(text);
    if (this.era === '2026') {
      headers['mcp-protocol-version'] = MODERN_VERSION;
      if (typeof parsed?.['method'] === 'string') headers['mcp-method'] = parsed['method'];
      const name =
        parsed?.['params']?.['name'] ?? parsed?.['params']?.['uri'] ?? parsed?.['params']?.['taskId'];
      if (typeof name === 'string') headers['mcp-name'] = name;
    } else {
      headers['mcp-protocol-version'] = LEGACY_VERSION;
      if (this.sessionId !== undefined) headers['mcp-session-id'] = this.sessionId;
    }
    const controller = new AbortController();
    this.inFlight.add(controller);
    const response = await fetch(this.url, {
      method: 'POST',
      headers,
      body: text,
      signal: controller.signal,
    });
    this.statuses.push(response.status);
    this.sessionId ??= response.headers.get('mcp-session-id') ?? undefined;
    // The body is read in the background: a stream may stay open while other POSTs go out.
    void this.readBody(response).finally(() => this.inFlight.delete(controller));
  }

  private async readBody(response: Response): Promise<void> {
    try {
      if ((response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
        for await (const data of sseData(response)) {
          const message = tryParse(data);
          if (message !== undefined) this.receive(message);
        }
      } else {
        const message = tryParse(await response.text());
        if (message !== undefined) this.receive(message);
      }
    } catch {
      // Aborted by close(): nothing more to record.
    }
  }

  async close(): Promise<void> {
    for (const controller of this.inFlight) controller.abort();
    if (this.sessionId !== undefined) {
      await fetch(this.url, { method: 'DELETE', headers: { 'mcp-session-id': this.sessionId } }).catch(
        () => {},
      );
    }
  }
}

/** The `data:` payloads of an SSE body, as they arrive (empty priming events skipped). */
export async function* sseData(response: Response): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trimStart())
        .join('\n');
      if (data !== '') yield data;
    }
  }
}

// ---- WebSocket -------------------------------------------------------------------------------------

class WebSocketPeer extends BasePeer {
  private constructor(
    private readonly socket: WebSocket,
    era: Era,
  ) {
    super('websocket', era);
    socket.on('message', (data) => {
      const message = tryParse(String(data));
      if (message !== undefined) this.receive(message);
    });
  }

  static async connect(url: string, era: Era): Promise<WebSocketPeer> {
    const socket = new WebSocket(url.replace(/^http/, 'ws'), 'mcp');
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const peer = new WebSocketPeer(socket, era);
    if (era === '2025') await peer.handshake();
    return peer;
  }

  async sendRaw(value: unknown): Promise<void> {
    this.socket.send(textOf(value));
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    const closed = new Promise<void>((resolve) => this.socket.once('close', () => resolve()));
    this.socket.close(1000);
    await closed;
  }
}

// ---- polling -------------------------------------------------------------------------------------------

const POLLING = { 'mcp-transport': 'polling' };

/**
 * The polling extension: sends are POSTs on the channel (a refusal's JSON-RPC body counts
 * as received), and a background long-poll loop receives the rest, acknowledging as it goes.
 */
class PollingPeer extends BasePeer {
  readonly statuses: number[] = [];
  private readonly stop = new AbortController();
  private readonly loop: Promise<void>;

  private constructor(
    private readonly url: string,
    private readonly channelId: string,
    era: Era,
  ) {
    super('polling', era);
    this.loop = this.pollLoop();
  }

  static async connect(url: string, era: Era): Promise<PollingPeer> {
    const opened = await fetch(url, {
      method: 'POST',
      headers: { ...POLLING, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ pollTimeoutMs: 1_000 }),
    });
    if (opened.status !== 201) throw new Error(`polling open answered ${opened.status}`);
    const { channelId } = (await opened.json()) as { channelId: string };
    const peer = new PollingPeer(url, channelId, era);
    if (era === '2025') await peer.handshake();
    return peer;
  }

  async sendRaw(value: unknown): Promise<void> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { ...POLLING, 'mcp-channel-id': this.channelId, 'content-type': 'application/json' },
      body: textOf(value),
    });
    this.statuses.push(response.status);
    const message = tryParse(await response.text());
    if (message !== undefined) this.receive(message);
  }

  private async pollLoop(): Promise<void> {
    let cursor = 0;
    while (!this.stop.signal.aborted) {
      try {
        const response = await fetch(this.url, {
          headers: {
            ...POLLING,
            'mcp-channel-id': this.channelId,
            accept: 'application/json',
            'last-event-id': String(cursor),
          },
          signal: this.stop.signal,
        });
        if (response.status !== 200) return;
        const body = (await response.json()) as {
          events: Array<{ id: number; message: WireMessage }>;
          closed?: boolean;
        };
        for (const event of body.events) {
          cursor = event.id;
          this.receive(event.message);
        }
        if (body.closed === true) return;
      } catch {
        return;
      }
    }
  }

  async close(): Promise<void> {
    this.stop.abort();
    await this.loop;
    await fetch(this.url, {
      method: 'DELETE',
      headers: { ...POLLING, 'mcp-channel-id': this.channelId },
    }).catch(() => {});
  }
}

// ---- stdio ------------------------------------------------------------------------------------------------

class StdioPeer extends BasePeer {
  private partial = '';

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    era: Era,
  ) {
    super('stdio', era);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const lines = (this.partial + chunk).split('\n');
      this.partial = lines.pop()!;
      for (const line of lines) {
        const message = tryParse(line);
        if (message !== undefined) this.receive(message);
      }
    });
    child.stderr.resume();
  }

  static async connect(era: Era, fixture = STDIO_FIXTURE): Promise<StdioPeer> {
    const peer = new StdioPeer(spawn(process.execPath, [fixture], { stdio: 'pipe' }), era);
    if (era === '2025') await peer.handshake();
    return peer;
  }

  async sendRaw(value: unknown): Promise<void> {
    this.child.stdin.write(`${textOf(value)}\n`);
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

/** Every transport in both eras. */
export const ALL_PEERS: ReadonlyArray<{ transport: TransportKind; era: Era }> = (
  ['streamable-http', 'websocket', 'polling', 'stdio'] as const
).flatMap((transport) => (['2026', '2025'] as const).map((era) => ({ transport, era })));

/**
 * A peer of `transport` in `era`; `url` is the MCP route of a running app (unused for stdio,
 * which spawns `stdioFixture`, default the wire fixture).
 */
export function connectPeer(
  transport: TransportKind,
  era: Era,
  url: string,
  stdioFixture?: string,
): Promise<WirePeer> {
  switch (transport) {
    case 'streamable-http':
      return HttpPeer.connect(url, era);
    case 'websocket':
      return WebSocketPeer.connect(url, era);
    case 'polling':
      return PollingPeer.connect(url, era);
    case 'stdio':
      return StdioPeer.connect(era, stdioFixture);
  }
}

export function peerName(peer: { transport: TransportKind; era: Era }): string {
  return `${peer.transport} ${peer.era}`;
}
