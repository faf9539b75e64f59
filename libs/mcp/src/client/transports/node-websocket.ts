// Node only: the browser entry never imports this file.
import type { WebSocketFactory, WebSocketLike } from './websocket-implementation.js';

/**
 * A socket from the `ws` package, loaded on first use so that Node 22 (global WebSocket) and
 * code that never opens a socket do not pay for it. `ws` sockets can carry headers.
 */
export const nodeWebSocketFactory: WebSocketFactory = async (url, protocols, headers) => {
  const { WebSocket } = await import('ws');
  return new WebSocket(url, protocols, { headers }) as unknown as WebSocketLike;
};
