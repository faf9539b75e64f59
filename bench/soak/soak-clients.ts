import { type Agent, type ClientRequest, type IncomingMessage, request } from 'node:http';
import WebSocket from 'ws';
import {
  INITIALIZED,
  initializeRequest,
  legacyHeaders,
  MODERN_HEADERS,
  MODERN_META,
} from '../shared/messages.js';

/**
 * The soak's clients: small, dependency-free peers for each transport that count what they
 * did. Failures are counted, never thrown: a soak reports, it does not stop at the first error.
 */

/** Counts by name (`http-2026 calls`, `errors http-2026`, ...). */
export class Tally {
  readonly counts = new Map<string, number>();

  add(name: string, by = 1): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + by);
  }

  error(actor: string, detail: string): void {
    this.add(`errors ${actor}`);
    this.lastErrors.set(actor, detail.slice(0, 200));
  }

  /** The last error of each actor, for the report. */
  readonly lastErrors = new Map<string, string>();
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly text: string;
}

/** One request, its whole answer read. Rejects on socket errors. */
export function exchange(
  url: string,
  agent: Agent,
  method: string,
  headers: Record<string, string>,
  body?: string,
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.once('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: Buffer.concat(chunks).toString(),
        }),
      );
      res.once('error', reject);
    });
    req.once('error', reject);
    req.end(body);
  });
}

/** A response left open (an SSE stream): the caller reads, pauses or abandons it. */
export function openStream(
  url: string,
  agent: Agent | false,
  headers: Record<string, string>,
): Promise<{ req: ClientRequest; res: IncomingMessage }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, agent }, (res) => resolve({ req, res }));
    req.once('error', reject);
    req.end();
  });
}

export const POLLING = { 'mcp-transport': 'polling' };

export function progressCall(id: number | string, steps: number, modern: boolean): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: {
      name: 'progress',
      arguments: { steps },
      _meta: { progressToken: `p-${id}`, ...(modern && MODERN_META) },
    },
  });
}

export function echoCall(id: number | string, modern: boolean): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name: 'echo', arguments: { text: 'hello' }, ...(modern && { _meta: MODERN_META }) },
  });
}

export const modernHeaders = (tool: string): Record<string, string> => ({
  ...MODERN_HEADERS,
  'mcp-name': tool,
});

/** `initialize` + `notifications/initialized`: a 2025 session's id. */
export async function openSession(url: string, agent: Agent): Promise<string> {
  const init = await exchange(url, agent, 'POST', legacyHeaders(), JSON.stringify(initializeRequest(0)));
  const sessionId = init.headers['mcp-session-id'];
  if (init.status !== 200 || typeof sessionId !== 'string')
    throw new Error(`initialize: HTTP ${init.status}`);
  await exchange(url, agent, 'POST', legacyHeaders(sessionId), JSON.stringify(INITIALIZED));
  return sessionId;
}

/** A WebSocket with answers matched by id; `initialize`d when `legacy`. */
export class SoakSocket {
  readonly closed: Promise<number>;
  private readonly waiters = new Map<string, (text: string) => void>();

  private constructor(readonly socket: WebSocket) {
    this.closed = new Promise((resolve) => socket.once('close', (code) => resolve(code)));
    socket.on('error', () => undefined);
    socket.on('message', (data) => {
      const text = String(data);
      const id = /^\{"jsonrpc":"2\.0","id":"([^"]+)"/.exec(text)?.[1];
      if (id !== undefined) this.waiters.get(id)?.(text);
    });
  }

  static async open(url: string, legacy: boolean): Promise<SoakSocket> {
    const socket = new WebSocket(url.replace(/^http/, 'ws'), 'mcp');
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const client = new SoakSocket(socket);
    if (legacy) {
      await client.request('init', JSON.stringify({ ...initializeRequest('init') }));
      socket.send(JSON.stringify(INITIALIZED));
    }
    return client;
  }

  /** The answer's text, or undefined when the socket closed first. */
  request(id: string, text: string): Promise<string | undefined> {
    return Promise.race([
      new Promise<string>((resolve) => {
        this.waiters.set(id, (answer) => {
          this.waiters.delete(id);
          resolve(answer);
        });
        this.socket.send(text);
      }),
      this.closed.then(() => undefined),
    ]);
  }
}
