import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { applyTestRouteSettings, createTestApp, routePath } from '../../support/test-platform.js';
import { McpModule, type McpModuleExtras, type McpModuleOptions } from 'nest-mcp';
import { type ClientOptions, WebSocket } from 'ws';
import { AppModule } from '../../../src/app.module.js';
import { NotesModule } from '../../../src/notes/notes.module.js';

export const MODERN = '2026-07-28';
export const LEGACY = '2025-11-25';

export interface WsHarness {
  readonly app: INestApplication;
  /** `ws://127.0.0.1:<port>/mcp` */
  readonly wsUrl: string;
  /** `http://127.0.0.1:<port>` */
  readonly httpBase: string;
  /** The MCP route over HTTP: `http://127.0.0.1:<port>/mcp` (under the run's global prefix). */
  readonly httpUrl: string;
  close(): Promise<void>;
}

/**
 * Boots the example app on 127.0.0.1 (port 0). Without options it is `AppModule` itself;
 * with options, the example's notes tools under an `McpModule` configured for the test.
 */
export async function startApp(options?: Partial<McpModuleOptions> & McpModuleExtras): Promise<WsHarness> {
  const imports =
    options === undefined
      ? [AppModule]
      : [McpModule.forRoot({ serverInfo: { name: 'ws-test', version: '1.0.0' }, ...options }), NotesModule];
  const moduleRef = await Test.createTestingModule({ imports }).compile();
  const app = createTestApp(moduleRef, { logger: false });
  applyTestRouteSettings(app);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  let closed = false;
  return {
    app,
    wsUrl: `ws://127.0.0.1:${port}${routePath()}`,
    httpBase: `http://127.0.0.1:${port}`,
    httpUrl: `http://127.0.0.1:${port}${routePath()}`,
    close: async () => {
      if (closed) return;
      closed = true;
      await app.close();
    },
  };
}

export function modernMeta(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'io.modelcontextprotocol/protocolVersion': MODERN,
    'io.modelcontextprotocol/clientCapabilities': {},
    'io.modelcontextprotocol/clientInfo': { name: 'raw-ws', version: '0.0.1' },
    ...extra,
  };
}

export interface Closed {
  readonly code: number;
  readonly reason: string;
}

/** A raw `ws` client speaking JSON-RPC text frames; answers are matched by id. */
export class RawClient {
  readonly messages: any[] = [];
  readonly closed: Promise<Closed>;
  private nextId = 1;
  private readonly waiters = new Map<unknown, (message: any) => void>();

  private constructor(readonly socket: WebSocket) {
    this.closed = new Promise((resolve) =>
      socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    socket.on('error', () => undefined);
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString());
      this.messages.push(message);
      if ('id' in message && !('method' in message)) {
        const waiter = this.waiters.get(message.id);
        if (waiter !== undefined) {
          this.waiters.delete(message.id);
          waiter(message);
        }
      }
    });
  }

  static async open(
    url: string,
    protocols: string | string[] = 'mcp',
    options: ClientOptions = {},
  ): Promise<RawClient> {
    const socket = new WebSocket(url, protocols, options);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new RawClient(socket);
  }

  /** Sends a request and resolves with its response. */
  request(
    method: string,
    params?: Record<string, unknown>,
    id: number | string = this.nextId++,
  ): Promise<any> {
    const answer = this.expect(id);
    this.send({ jsonrpc: '2.0', id, method, ...(params !== undefined && { params }) });
    return answer;
  }

  expect(id: unknown): Promise<any> {
    return new Promise((resolve) => this.waiters.set(id, resolve));
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The 2025-11-25 handshake. */
  async initialize(): Promise<any> {
    const answer = await this.request('initialize', {
      protocolVersion: LEGACY,
      capabilities: {},
      clientInfo: { name: 'raw-ws', version: '0.0.1' },
    });
    this.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    return answer;
  }

  close(code = 1000): Promise<Closed> {
    this.socket.close(code);
    return this.closed;
  }
}

/** The HTTP answer to an upgrade that was refused (status, headers, body). */
export function refusedUpgrade(
  url: string,
  protocols: string | string[] = 'mcp',
  options: ClientOptions = {},
): Promise<{ status: number; headers: IncomingMessage['headers']; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, protocols, options);
    socket.once('open', () => {
      socket.close();
      reject(new Error('the upgrade was accepted'));
    });
    socket.once('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    socket.on('error', () => undefined);
  });
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
