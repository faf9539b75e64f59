import { InMemoryServerEventBus, InMemoryTransport, type JSONRPCMessage } from '@modelcontextprotocol/server';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  MCP_CATALOG,
  MCP_CHANGE_BUS,
  MCP_RESOLVED_OPTIONS,
  type McpConnection,
  McpProtocolService,
  resolveMcpOptions,
} from 'nest-mcp';
import { TestCatalog } from './test-catalog.js';

export const SERVER_INFO = { name: 'protocol-test-server', version: '1.2.3' };

export interface ProtocolHarness {
  readonly module: TestingModule;
  readonly service: McpProtocolService;
  readonly catalog: TestCatalog;
  readonly bus: InMemoryServerEventBus;
  close(): Promise<void>;
}

/** Boots a Nest testing module holding the protocol engine over a hand-made catalog. */
export async function startProtocol(
  options: { pageSize?: number; toolCount?: number } = {},
): Promise<ProtocolHarness> {
  const catalog = new TestCatalog(options.toolCount);
  const bus = new InMemoryServerEventBus();
  const module = await Test.createTestingModule({
    providers: [
      McpProtocolService,
      { provide: MCP_CATALOG, useValue: catalog },
      { provide: MCP_CHANGE_BUS, useValue: bus },
      {
        provide: MCP_RESOLVED_OPTIONS,
        useValue: resolveMcpOptions(
          { serverInfo: SERVER_INFO, instructions: 'Test instructions', pageSize: options.pageSize },
          {},
        ),
      },
    ],
  }).compile();
  module.useLogger(false);
  return { module, service: module.get(McpProtocolService), catalog, bus, close: () => module.close() };
}

/**
 * A bare JSON-RPC peer on an in-memory transport, for wire-level assertions that real
 * clients would refuse to produce (bad params, raw values, unknown versions).
 */
export class RawPeer {
  readonly received: JSONRPCMessage[] = [];
  private waiters: Array<() => void> = [];

  private constructor(
    private readonly transport: InMemoryTransport,
    readonly connection: McpConnection,
  ) {
    transport.onmessage = (message) => {
      this.received.push(message);
      for (const waiter of this.waiters.splice(0)) waiter();
    };
  }

  static async connect(
    service: McpProtocolService,
    options: { era?: 'modern' | 'legacy' } = {},
  ): Promise<RawPeer> {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const connection = await service.connect(serverSide, { transport: 'memory', ...options });
    const peer = new RawPeer(clientSide, connection);
    await clientSide.start();
    return peer;
  }

  send(value: unknown): Promise<void> {
    return this.transport.send(value as JSONRPCMessage);
  }

  /** Sends a request and waits for the message answering its id. */
  async request(
    id: string | number,
    method: string,
    params?: Record<string, unknown>,
  ): Promise<Record<string, any>> {
    await this.send({ jsonrpc: '2.0', id, method, ...(params !== undefined && { params }) });
    return this.waitFor((message) => (message as { id?: unknown }).id === id && !('method' in message));
  }

  async waitFor(
    predicate: (message: JSONRPCMessage) => boolean,
    timeoutMs = 2000,
  ): Promise<Record<string, any>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find(predicate);
      if (found !== undefined) return found as Record<string, any>;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`no matching message; received: ${JSON.stringify(this.received)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}

/** The 2026 `_meta` envelope a modern client puts on every request. */
export function modernMeta(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'io.modelcontextprotocol/protocolVersion': '2026-07-28',
    'io.modelcontextprotocol/clientCapabilities': {},
    'io.modelcontextprotocol/clientInfo': { name: 'raw-peer', version: '0.0.1' },
    ...extra,
  };
}

export async function waitUntil(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
