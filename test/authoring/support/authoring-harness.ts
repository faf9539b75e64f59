import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport, type Transport } from '@modelcontextprotocol/server';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport as InMemoryTransportV1 } from '@modelcontextprotocol/sdk/inMemory.js';
import {
  type INestApplication,
  type LoggerService,
  type ModuleMetadata,
  ValidationPipe,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { McpModule, McpProtocolService } from 'nest-mcp';
import { withMessageExtra } from '../../../libs/mcp/src/testing/message-extra.transport.js';
import { NotesModule, StatsModule } from './notes.fixture.js';

/** Collects what the app logs, so tests can assert on warnings. */
export class RecordingLogger implements LoggerService {
  readonly warnings: string[] = [];
  readonly errors: string[] = [];
  log(): void {}
  warn(message: unknown): void {
    this.warnings.push(String(message));
  }
  error(message: unknown): void {
    this.errors.push(String(message));
  }
}

export interface AuthoringApp {
  readonly app: INestApplication;
  readonly service: McpProtocolService;
  readonly logger: RecordingLogger;
  close(): Promise<void>;
}

/** Boots a real Nest app: McpModule, the notes feature modules, a global ValidationPipe. */
export async function startApp(extraImports: ModuleMetadata['imports'] = []): Promise<AuthoringApp> {
  const module = await Test.createTestingModule({
    imports: [
      McpModule.forRoot({ serverInfo: { name: 'authoring-test', version: '1.0.0' } }),
      NotesModule,
      StatsModule,
      ...extraImports,
    ],
  }).compile();
  const logger = new RecordingLogger();
  const app = module.createNestApplication({ logger });
  app.useGlobalPipes(new ValidationPipe({ transform: true }));
  await app.init();
  return { app, service: app.get(McpProtocolService), logger, close: () => app.close() };
}

/** What a real transport (HTTP after authentication) would attach to each inbound message. */
function withPrincipal(transport: Transport, principal: unknown): Transport {
  return withMessageExtra(transport, { principal, rawRequest: { fake: true } });
}

/** A v2 SDK client pinned to revision 2026-07-28 (stateless requests). */
export async function connectModern(service: McpProtocolService, principal?: unknown): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await service.connect(withPrincipal(serverSide, principal), { transport: 'memory' });
  const client = new Client(
    { name: 'authoring-v2', version: '2.0.0' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  await client.connect(clientSide);
  return client;
}

/** A v1 SDK client (2025-11-25 `initialize` handshake, a session). */
export async function connectV1(service: McpProtocolService, principal?: unknown): Promise<ClientV1> {
  const [clientSide, serverSide] = InMemoryTransportV1.createLinkedPair();
  await service.connect(withPrincipal(serverSide as unknown as Transport, principal), {
    transport: 'memory',
  });
  const client = new ClientV1({ name: 'authoring-v1', version: '1.0.0' });
  await client.connect(clientSide);
  return client;
}

export function textOf(result: unknown): string {
  return (result as { content: Array<{ text: string }> }).content[0]!.text;
}

export async function waitUntil(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
