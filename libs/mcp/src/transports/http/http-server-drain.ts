import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * The HTTP server's side of a graceful shutdown: from `begin()` on, every response the
 * server starts says `Connection: close`, and `settle()` waits until clients have gone quiet
 * before Nest closes the server.
 *
 * Why: Nest closes the server right after the shutdown hooks; Node's `server.close()` then
 * destroys every idle keep-alive connection and stops listening. A client that had just
 * been answered on a keep-alive connection (a 503 included) reuses it at once, and a client
 * that was told to go away (WebSocket 1001) reconnects at once; when its request meets the
 * destroyed socket or a closed listener's queue it is reset (`ECONNRESET`), not answered.
 * HTTP/1.1 gives the server one race-free way to end a connection: answering a request with
 * `Connection: close`. So while closing, each request that comes gets its answer (the MCP
 * route's 503 + `Retry-After`) with `Connection: close`, and the server stays open until no
 * connection or request has arrived for a quiet period: clients that honour the 503 have
 * stopped by then, and what remains idle has been idle for that long.
 */
export class HttpServerDrain {
  private lastArrival = 0;
  private begun = false;
  /** Open connections, from `track()` on: those that never sent a byte are ended at the close. */
  private readonly connections = new Set<Socket>();

  constructor(private readonly server: Server) {}

  /**
   * Follows connections from now on (call it once the server exists). Why: a client pool may
   * hold a connection it opened but never used; Node counts it as busy until its headers
   * timeout (60 s), so the server's close would wait that long for it.
   */
  track(): void {
    this.server.on('connection', this.onTrackedConnection);
  }

  /** Ends the connections that never sent a byte: no request can be cut by it. */
  endUnusedConnections(): void {
    for (const socket of this.connections) if (socket.bytesRead === 0) socket.destroy();
  }

  private readonly onTrackedConnection = (socket: Socket): void => {
    this.connections.add(socket);
    socket.once('close', () => this.connections.delete(socket));
  };

  /** From now on every response closes its connection; arrivals are timed. */
  begin(): void {
    if (this.begun) return;
    this.begun = true;
    this.lastArrival = performance.now();
    this.server.prependListener('request', this.onRequest);
    this.server.prependListener('connection', this.onConnection);
  }

  /**
   * Resolves once nothing arrived for `quietMs`, or at `deadline` (`performance.now()` time)
   * whichever is first.
   */
  async settle(quietMs: number, deadline: number): Promise<void> {
    for (;;) {
      const now = performance.now();
      const wait = Math.min(this.lastArrival + quietMs - now, deadline - now);
      if (wait <= 0) return;
      await new Promise((resolve) => setTimeout(resolve, Math.ceil(wait)));
    }
  }

  private readonly onRequest = (_req: IncomingMessage, res: ServerResponse): void => {
    this.lastArrival = performance.now();
    if (!res.headersSent) res.setHeader('connection', 'close');
  };

  private readonly onConnection = (): void => {
    this.lastArrival = performance.now();
  };
}
