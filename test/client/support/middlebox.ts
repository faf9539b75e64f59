import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

/** What a middlebox does to event streams and to WebSocket upgrades. */
export interface MiddleboxBehaviour {
  /**
   * `502`: any `text/event-stream` response is replaced by `502 Bad Gateway` (a proxy that
   * refuses streaming); `buffer`: every response is held until it ends (a buffering proxy);
   * `hold-body`: status and headers pass at once, the body is held until it ends (a proxy that
   * flushes headers but buffers content); `pass` (default): untouched.
   */
  readonly sse?: 'pass' | '502' | 'buffer' | 'hold-body';
  /** `refuse`: `Upgrade` requests get `400` (a load balancer without WebSocket); default `pass`. */
  readonly upgrade?: 'pass' | 'refuse';
}

/**
 * A small HTTP proxy on 127.0.0.1 in front of one server, breaking streaming the way real
 * middleboxes do. `drop()` cuts every connection through it, as a server restart or a network
 * hiccup would.
 */
export class Middlebox {
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    private readonly target: URL,
    readonly behaviour: MiddleboxBehaviour,
    private readonly pages: Record<string, { type: string; body: string }>,
  ) {}

  /**
   * Starts a middlebox in front of `target` (`http://127.0.0.1:<port>`). `pages` are served by
   * the middlebox itself (path -> content type and body), so a browser test page shares the
   * MCP route's origin.
   */
  static async start(
    target: string,
    behaviour: MiddleboxBehaviour = {},
    pages: Record<string, { type: string; body: string }> = {},
  ): Promise<Middlebox> {
    const server = createServer();
    const box = new Middlebox(server, new URL(target), behaviour, pages);
    server.on('connection', (socket) => box.track(socket));
    server.on('request', (req, res) => box.forward(req, res));
    server.on('upgrade', (req, socket, head) => box.upgrade(req, socket as Socket, head));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return box;
  }

  /** `http://127.0.0.1:<port>` of the middlebox. */
  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Cuts every open connection (both sides). */
  drop(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  async close(): Promise<void> {
    this.drop();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    const page = this.pages[req.url ?? ''];
    if (page !== undefined) {
      res.writeHead(200, { 'content-type': page.type }).end(page.body);
      return;
    }
    const upstream = request(
      {
        host: this.target.hostname,
        port: this.target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: this.target.host, connection: 'close' },
        agent: false,
      },
      (answer) => this.respond(answer, res),
    );
    upstream.on('socket', (socket) => this.track(socket));
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' }).end('upstream failed');
      else res.destroy();
    });
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  }

  private respond(answer: IncomingMessage, res: ServerResponse): void {
    const headers = { ...answer.headers };
    delete headers.connection;
    delete headers['transfer-encoding'];
    const isSse = (answer.headers['content-type'] ?? '').includes('text/event-stream');
    if (isSse && this.behaviour.sse === '502') {
      answer.destroy();
      res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>502 Bad Gateway</h1>');
      return;
    }
    if (this.behaviour.sse === 'buffer') {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => {
        const body = Buffer.concat(chunks);
        res
          .writeHead(answer.statusCode ?? 502, { ...headers, 'content-length': String(body.length) })
          .end(body);
      });
      answer.on('error', () => res.destroy());
      return;
    }
    res.writeHead(answer.statusCode ?? 502, headers);
    res.flushHeaders();
    if (this.behaviour.sse === 'hold-body') {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => res.end(Buffer.concat(chunks)));
      answer.on('error', () => res.destroy());
      return;
    }
    answer.pipe(res);
    answer.on('error', () => res.destroy());
  }

  private upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    if (this.behaviour.upgrade === 'refuse') {
      socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    const upstream = connect(Number(this.target.port), this.target.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2)
        lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    this.track(upstream);
    upstream.on('close', () => socket.destroy());
    socket.on('close', () => upstream.destroy());
  }
}
