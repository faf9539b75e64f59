/**
 * The slice of the WHATWG `WebSocket` the client transport uses: browsers, Node 22's global
 * and the `ws` package all have it.
 */
export interface WebSocketLike {
  readonly readyState: number;
  readonly protocol: string;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { code: number; reason: string }) => void): void;
  addEventListener(type: 'error', listener: (event: { message?: string; error?: unknown }) => void): void;
}

/**
 * Opens a socket. `headers` can only be honoured outside browsers (a browser's WebSocket
 * sends cookies, never custom headers).
 */
export type WebSocketFactory = (
  url: string,
  protocols: string[],
  headers: Record<string, string> | undefined,
) => WebSocketLike | Promise<WebSocketLike>;

let fallbackFactory: WebSocketFactory | undefined;

/**
 * Installs the factory used when the runtime has no global `WebSocket` (Node 20). The Node
 * entry (`nest-mcp/client/node`) installs one backed by the `ws` package; the browser entry
 * never does, so bundles stay free of Node modules.
 */
export function setWebSocketFallback(factory: WebSocketFactory | undefined): void {
  fallbackFactory = factory;
}

/**
 * The runtime's WebSocket: the global one when present (browsers, Node 22), else the installed
 * fallback. The fallback also takes sockets that must send headers, which the global cannot.
 */
export function defaultWebSocketFactory(): WebSocketFactory {
  const Global = (globalThis as { WebSocket?: new (url: string, protocols: string[]) => WebSocketLike })
    .WebSocket;
  return (url, protocols, headers) => {
    const wantsHeaders = headers !== undefined && Object.keys(headers).length > 0;
    if (fallbackFactory !== undefined && (Global === undefined || wantsHeaders)) {
      return fallbackFactory(url, protocols, headers);
    }
    if (Global !== undefined) return new Global(url, protocols);
    throw new Error(
      'this runtime has no WebSocket: import "nest-mcp/client/node" (Node 20) or pass webSocketFactory',
    );
  };
}
