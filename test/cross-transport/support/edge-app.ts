import type { AddressInfo } from 'node:net';
import { after, before, describe } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { type INestApplication, type LoggerService, ValidationPipe } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { applyTestRouteSettings, createTestApp, routePath } from '../../support/test-platform.js';
import { McpModule } from 'nest-mcp';
import { PollingClientTransport, WebSocketClientTransport } from '../../../libs/mcp/src/client/node.js';
import { FIXTURE_MAIN } from '../../stdio/support/stdio-child.js';
import { EdgeCasesModule } from './edge-cases.fixture.js';

/**
 * Records every line the app logs at error level, with its context (`ExceptionsHandler` is
 * Nest's exception layer), so tests can assert what was and was not logged.
 */
export class CapturingLogger implements LoggerService {
  readonly errors: string[] = [];
  log(): void {}
  warn(): void {}
  error(message: unknown, ...rest: unknown[]): void {
    this.errors.push(
      [message, ...rest].map((part) => (part instanceof Error ? part.stack : String(part))).join(' | '),
    );
  }
}

export interface EdgeApp {
  readonly app: INestApplication;
  readonly logger: CapturingLogger;
  /** `http://127.0.0.1:<port>/mcp`: Streamable HTTP, polling and (as ws://) WebSocket. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The edge-case handlers on a real app at 127.0.0.1 (port 0), every transport on, with the
 * global `ValidationPipe` the reporter used (whitelist, forbidNonWhitelisted).
 */
export async function startEdgeApp(): Promise<EdgeApp> {
  const moduleRef = await Test.createTestingModule({
    imports: [McpModule.forRoot({ serverInfo: { name: 'edge-cases', version: '1.0.0' } }), EdgeCasesModule],
  }).compile();
  const logger = new CapturingLogger();
  const app = createTestApp(moduleRef, { logger });
  applyTestRouteSettings(app);
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, logger, url: `http://127.0.0.1:${port}${routePath()}`, close: () => app.close() };
}

/** One way of reaching a server: a transport and the protocol era it speaks. */
export interface TransportKind {
  readonly name: string;
  readonly era: 'modern' | 'legacy';
  /** A connected v2 SDK client that can answer elicitations (`Ada`). */
  connect(url: string): Promise<Client>;
}

const MODERN_PIN = { versionNegotiation: { mode: { pin: '2026-07-28' as const } } };

export const STREAMABLE_HTTP_2026: TransportKind = {
  name: 'Streamable HTTP 2026-07-28',
  era: 'modern',
  connect: (url) => connected(new StreamableHTTPClientTransport(new URL(url)), 'modern'),
};

export const STREAMABLE_HTTP_2025: TransportKind = {
  name: 'Streamable HTTP 2025-11-25 session',
  era: 'legacy',
  connect: (url) => connected(new StreamableHTTPClientTransport(new URL(url)), 'legacy'),
};

export const WEBSOCKET_2026: TransportKind = {
  name: 'WebSocket 2026-07-28',
  era: 'modern',
  connect: (url) => connected(new WebSocketClientTransport(new URL(url.replace(/^http/, 'ws'))), 'modern'),
};

export const POLLING_2025: TransportKind = {
  name: 'polling 2025-11-25',
  era: 'legacy',
  connect: (url) => connected(new PollingClientTransport(new URL(url)), 'legacy'),
};

/** The stdio fixture process (`url` unused): the same template, registered at runtime. */
export const STDIO_2025: TransportKind = {
  name: 'stdio 2025-11-25',
  era: 'legacy',
  connect: () =>
    connected(
      new StdioClientTransport({ command: process.execPath, args: [FIXTURE_MAIN], stderr: 'ignore' }),
      'legacy',
    ),
};

/**
 * One `describe` per transport kind, named after it, whose tests share a client of that kind
 * connected to `url()` (read when the suite starts): the parametrised form of a spec.
 */
export function describeOnEachKind(
  kinds: readonly TransportKind[],
  url: () => string,
  tests: (client: () => Client) => void,
): void {
  for (const kind of kinds) {
    describe(kind.name, () => {
      let client: Client | undefined;
      before(async () => {
        client = await kind.connect(url());
      });
      after(() => client?.close());
      tests(() => client!);
    });
  }
}

async function connected(
  transport: Parameters<Client['connect']>[0],
  era: 'modern' | 'legacy',
): Promise<Client> {
  const client = new Client(
    { name: 'edge-cases', version: '1.0.0' },
    { capabilities: { elicitation: { form: {} } }, ...(era === 'modern' && MODERN_PIN) },
  );
  client.setRequestHandler('elicitation/create', async () => ({
    action: 'accept',
    content: { name: 'Ada' },
  }));
  await client.connect(transport);
  if (client.getProtocolEra() !== era)
    throw new Error(`expected the ${era} era, got ${client.getProtocolEra()}`);
  return client;
}

/** The error a client call was rejected with, as `{ code, message, data }`. */
export async function rejectionOf(
  call: Promise<unknown>,
): Promise<{ code: number; message: string; data?: any }> {
  try {
    await call;
  } catch (error) {
    return error as { code: number; message: string; data?: any };
  }
  throw new Error('the call succeeded');
}

export function textOf(result: unknown): string {
  return (result as { content: Array<{ text: string }> }).content[0]!.text;
}
