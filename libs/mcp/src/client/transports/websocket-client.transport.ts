import type { JSONRPCMessage, Transport, TransportSendOptions } from '@modelcontextprotocol/client';
import {
  defaultWebSocketFactory,
  type WebSocketFactory,
  type WebSocketLike,
} from './websocket-implementation.js';
import { withStatus } from '../refusal-status.js';

/** The WebSocket subprotocol of MCP over WebSocket. */
export const MCP_WEBSOCKET_SUBPROTOCOL = 'mcp';

const OPEN = 1;

/** Options of {@link WebSocketClientTransport}. */
export interface WebSocketClientTransportOptions {
  /** Opens the socket; default: the runtime's WebSocket (see `setWebSocketFallback`). */
  webSocketFactory?: WebSocketFactory;
  /** Sent with the upgrade where the runtime allows it (not in browsers). */
  headers?: Record<string, string>;
}

/** How a socket ended, for the reconnection decision and the failure reason. */
export interface WebSocketClose {
  readonly code: number;
  readonly reason: string;
}

/**
 * MCP over one WebSocket (subprotocol `mcp`, one JSON-RPC message per text frame), behind the
 * SDK `Transport` shape. `http:`/`https:` URLs are turned into `ws:`/`wss:` on the same path.
 */
export class WebSocketClientTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  /** Set once the socket has closed. */
  lastClose: WebSocketClose | undefined;

  private socket: WebSocketLike | undefined;
  private closedByUs = false;
  private readonly url: string;

  constructor(
    url: URL,
    private readonly options: WebSocketClientTransportOptions = {},
  ) {
    this.url = toWebSocketUrl(url);
  }

  /** Whether the socket ended without our asking (the peer or the network closed it). */
  get droppedByPeer(): boolean {
    return this.lastClose !== undefined && !this.closedByUs;
  }

  async start(): Promise<void> {
    if (this.socket !== undefined) throw new Error('WebSocketClientTransport already started');
    const factory = this.options.webSocketFactory ?? defaultWebSocketFactory();
    const socket = await factory(this.url, [MCP_WEBSOCKET_SUBPROTOCOL], this.options.headers);
    this.socket = socket;
    await new Promise<void>((resolve, reject) => {
      let opened = false;
      let failure: string | undefined;
      socket.addEventListener('open', () => {
        if (socket.protocol !== MCP_WEBSOCKET_SUBPROTOCOL) {
          failure = `server did not accept subprotocol ${MCP_WEBSOCKET_SUBPROTOCOL} (got "${socket.protocol}")`;
          socket.close(1002, 'subprotocol');
          return;
        }
        opened = true;
        resolve();
      });
      socket.addEventListener('error', (event) => {
        // Browsers say nothing about why an upgrade failed; `ws` says "Unexpected server response: 502".
        failure ??= event.message ?? (event.error instanceof Error ? event.error.message : undefined);
        if (opened) this.onerror?.(new Error(failure ?? 'WebSocket error'));
      });
      socket.addEventListener('close', (event) => {
        this.lastClose = { code: event.code, reason: event.reason };
        if (!opened) {
          const message = failure ?? `WebSocket closed before opening (code ${event.code})`;
          // `ws` names the status of a refused Upgrade only in its message.
          const status = /Unexpected server response: (\d{3})/.exec(message)?.[1];
          reject(withStatus(new Error(message), status === undefined ? undefined : Number(status)));
          return;
        }
        this.socket = undefined;
        this.onclose?.();
      });
      socket.addEventListener('message', (event) => this.receive(event.data));
    });
  }

  async send(message: JSONRPCMessage, _options?: TransportSendOptions): Promise<void> {
    const socket = this.socket;
    if (socket === undefined || socket.readyState !== OPEN) throw new Error('WebSocket is not open');
    socket.send(JSON.stringify(message));
  }

  async close(): Promise<void> {
    this.closedByUs = true;
    const socket = this.socket;
    if (socket === undefined) return;
    if (socket.readyState === OPEN) {
      await new Promise<void>((resolve) => {
        socket.addEventListener('close', () => resolve());
        socket.close(1000, 'client closed');
      });
    } else {
      socket.close();
    }
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') {
      this.onerror?.(new Error('binary WebSocket frame ignored: MCP sends text frames'));
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      this.onerror?.(new Error('WebSocket frame is not JSON'));
      return;
    }
    for (const message of (Array.isArray(parsed) ? parsed : [parsed]) as JSONRPCMessage[]) {
      // The SDK dispatches notifications a few microtasks late and responses at once; a
      // response read in the same turn as the progress before it would overtake it, and the
      // progress would find its handler gone. Responses wait one macrotask, in order.
      if ('id' in message && !('method' in message)) setTimeout(() => this.onmessage?.(message), 0);
      else this.onmessage?.(message);
    }
  }
}

/** `http(s)://host/path` -> `ws(s)://host/path`; `ws(s):` stays. */
export function toWebSocketUrl(url: URL): string {
  const target = new URL(url.href);
  if (target.protocol === 'http:') target.protocol = 'ws:';
  else if (target.protocol === 'https:') target.protocol = 'wss:';
  return target.href;
}
