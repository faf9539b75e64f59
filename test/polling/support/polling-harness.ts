import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServerEventBus } from '@modelcontextprotocol/server';
import { MCP_CHANGE_BUS, type McpModuleOptions } from 'nest-mcp';
import { type HttpHarness, startHttp } from '../../http/support/http-harness.js';

export { MODERN, modernMeta } from '../../http/support/http-harness.js';
export const LEGACY = '2025-11-25';

export interface PollingHarness extends HttpHarness {
  readonly bus: ServerEventBus;
}

/** The test catalog on a real app at 127.0.0.1 (port 0), polling on, with `options`. */
export async function startPolling(options: Partial<McpModuleOptions> = {}): Promise<PollingHarness> {
  const harness = await startHttp(options);
  return { ...harness, bus: harness.app.get<ServerEventBus>(MCP_CHANGE_BUS) };
}

export const POLLING = { 'mcp-transport': 'polling' };

/** A raw answer, its body read completely. */
export interface RawAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly body: any;
}

export async function raw(url: string, init: RequestInit): Promise<RawAnswer> {
  const response = await fetch(url, init);
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, text, body };
}

/** Opens a channel by hand; returns its id (asserting nothing: callers check). */
export async function openChannel(
  url: string,
  body: unknown = {},
  headers: Record<string, string> = {},
): Promise<RawAnswer> {
  return raw(url, {
    method: 'POST',
    headers: { ...POLLING, 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

export function sendOn(
  url: string,
  channelId: string,
  message: unknown,
  headers: Record<string, string> = {},
): Promise<RawAnswer> {
  return raw(url, {
    method: 'POST',
    headers: { ...POLLING, 'mcp-channel-id': channelId, 'content-type': 'application/json', ...headers },
    body: typeof message === 'string' ? message : JSON.stringify(message),
  });
}

export function pollOn(
  url: string,
  channelId: string,
  cursor?: number,
  signal?: AbortSignal,
): Promise<RawAnswer> {
  return raw(url, {
    headers: {
      ...POLLING,
      'mcp-channel-id': channelId,
      accept: 'application/json',
      ...(cursor !== undefined && { 'last-event-id': String(cursor) }),
    },
    signal,
  });
}

/** Polls until `count` events after `cursor` have arrived (acknowledging as it goes). */
export async function collect(
  url: string,
  channelId: string,
  count: number,
  cursor = 0,
): Promise<{ events: Array<{ id: number; message: any }>; cursor: number; closed: boolean }> {
  const events: Array<{ id: number; message: any }> = [];
  let closed = false;
  while (events.length < count && !closed) {
    const answer = await pollOn(url, channelId, cursor);
    if (answer.status !== 200) throw new Error(`poll answered ${answer.status}: ${answer.text}`);
    for (const event of answer.body.events) {
      events.push(event);
      cursor = event.id;
    }
    closed = answer.body.closed === true;
  }
  return { events, cursor, closed };
}

export function initializeRequest(id: number | string = 1): Record<string, unknown> {
  return {
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: {
      protocolVersion: LEGACY,
      capabilities: {},
      clientInfo: { name: 'raw-polling', version: '0.0.1' },
    },
  };
}

/**
 * A middlebox that buffers every response whole before passing it on (with Content-Length,
 * never chunked) and answers 502 to any `text/event-stream`: what survives it is what
 * polling promises. It also records every response it relayed.
 */
export class BufferingProxy {
  readonly relayed: Array<{
    method: string;
    status: number;
    contentType: string | undefined;
    bytes: number;
  }> = [];
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(target: string): Promise<BufferingProxy> {
    const upstream = new URL(target);
    let proxy!: BufferingProxy;
    const server = createServer((req, res) => {
      const forwarded = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: upstream.host },
        },
        (answer) => {
          const chunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => chunks.push(chunk));
          answer.on('end', () => {
            const body = Buffer.concat(chunks);
            const contentType = answer.headers['content-type'];
            proxy.relayed.push({
              method: req.method ?? '',
              status: answer.statusCode ?? 0,
              contentType,
              bytes: body.length,
            });
            if (contentType?.includes('text/event-stream')) {
              res.writeHead(502, { 'content-type': 'text/plain', 'content-length': 11 });
              res.end('Bad Gateway');
              return;
            }
            const headers = { ...answer.headers };
            delete headers['transfer-encoding'];
            headers['content-length'] = String(body.length);
            res.writeHead(answer.statusCode ?? 502, headers);
            res.end(body);
          });
        },
      );
      forwarded.on('error', () => {
        res.writeHead(502, { 'content-length': 0 });
        res.end();
      });
      req.pipe(forwarded);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    proxy = new BufferingProxy(server, `http://127.0.0.1:${port}${upstream.pathname}`);
    return proxy;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * A `fetch` that loses chosen poll answers after the server sent them: the body is read in
 * full (the server considers it delivered) and the caller gets a network error instead.
 */
export function lossyFetch(shouldDrop: (events: number, pollIndex: number) => boolean): {
  fetch: typeof fetch;
  dropped: Array<{ ids: number[] }>;
} {
  const dropped: Array<{ ids: number[] }> = [];
  let polls = 0;
  const lossy: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    if ((init?.method ?? 'GET') !== 'GET' || response.status !== 200) return response;
    const text = await response.text();
    const body = JSON.parse(text) as { events: Array<{ id: number }> };
    if (shouldDrop(body.events.length, polls++)) {
      dropped.push({ ids: body.events.map((event) => event.id) });
      throw new TypeError('fetch failed: the middlebox lost the answer');
    }
    return new Response(text, { status: response.status, headers: response.headers });
  };
  return { fetch: lossy, dropped };
}

export async function waitUntil(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function textOf(result: unknown): string {
  return (result as { content: Array<{ text: string }> }).content[0]!.text;
}
