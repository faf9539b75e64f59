import type {
  Implementation,
  Prompt,
  Resource,
  ResourceTemplateType,
  ServerEventBus,
  Tool,
} from '@modelcontextprotocol/server';
import type { McpScopePolicy } from '../auth/scope-policy.js';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { MCP_CATALOG, MCP_CHANGE_BUS, MCP_RESOLVED_OPTIONS } from '../mcp.constants.js';
import type { ResolvedMcpOptions } from '../mcp.options.js';
import type {
  McpCatalog,
  PromptEntry,
  ResourceEntry,
  ResourceTemplateEntry,
  ToolEntry,
} from '../registry/registry-entries.js';
import type { McpTransport } from '../transports/transport.interface.js';
import { DefinitionListCache } from './definition-list-cache.js';
import type { InputStateCodec } from './input-required.js';
import type { McpConnection, McpConnectOptions } from './mcp-connection.interface.js';
import type { McpProtocolEra } from './mcp-context.js';
import type { MethodHandler } from './methods/method-handler.js';
import { buildMethodTables } from './methods/method-tables.js';
import { ProtocolConnection } from './protocol-connection.js';
import { createInputStateCodec } from './request-state.codec.js';
import type { McpRequestObserver } from './request-observer.js';
import type { ProtocolEngine } from './protocol-engine.js';
import { ServerCapabilitiesCache } from './server-capabilities.js';
import { InMemoryTaskStore } from '../tasks/in-memory-task.store.js';
import { McpTaskRunner } from '../tasks/task-runner.service.js';

/**
 * The transport-agnostic MCP engine. Transports hand it each connection (a stdio pipe, a
 * WebSocket, a 2025-era HTTP session, or one stateless 2026-era HTTP request) with
 * `connect()`; it serves both protocol eras on it and calls the catalog's handlers.
 */
@Injectable()
export class McpProtocolService implements ProtocolEngine {
  readonly serverInfo: Implementation;
  readonly instructions: string | undefined;
  readonly pageSize: number;
  readonly logger = new Logger('McpProtocol');
  readonly inputStateCodec: InputStateCodec;
  readonly capabilities: ServerCapabilitiesCache;
  readonly lists = {
    tools: new DefinitionListCache<ToolEntry, Tool>((entry) => entry.definition),
    resources: new DefinitionListCache<ResourceEntry, Resource>((entry) => entry.definition),
    templates: new DefinitionListCache<ResourceTemplateEntry, ResourceTemplateType>(
      (entry) => entry.definition,
    ),
    prompts: new DefinitionListCache<PromptEntry, Prompt>((entry) => entry.definition),
  };
  private readonly methods = buildMethodTables();
  readonly tasks: McpTaskRunner;
  /** Set by the metrics service; left unset, requests are not timed. */
  requestObserver: McpRequestObserver | undefined;
  /** Set by `McpAuthAdmission` when `auth` is on; left unset, no scope is checked. */
  scopePolicy: McpScopePolicy | undefined;

  constructor(
    @Inject(MCP_CATALOG) readonly catalog: McpCatalog,
    @Inject(MCP_RESOLVED_OPTIONS) options: ResolvedMcpOptions,
    @Inject(MCP_CHANGE_BUS) readonly bus: ServerEventBus,
    @Optional() tasks?: McpTaskRunner,
  ) {
    this.serverInfo = options.serverInfo;
    this.instructions = options.instructions;
    this.pageSize = Math.max(1, options.pageSize);
    this.inputStateCodec = createInputStateCodec(options.requestState);
    this.capabilities = new ServerCapabilitiesCache(catalog);
    // Built without the module (a testing module of its own): tasks kept in this process.
    this.tasks = tasks ?? new McpTaskRunner(new InMemoryTaskStore(), undefined, options);
  }

  /**
   * Binds a transport: installs its `onmessage` / `onclose`, starts it, and returns the
   * connection. Inbound values may be parsed JSON-RPC messages or any parsed JSON value
   * (non-JSON-RPC values are answered with -32600); answers go out with `transport.send`,
   * tied to their request by `relatedRequestId`.
   */
  async connect(transport: McpTransport, options: McpConnectOptions): Promise<McpConnection> {
    const connection = new ProtocolConnection(this, transport, options);
    await transport.start();
    return connection;
  }

  methodFor(era: McpProtocolEra, method: string): MethodHandler | undefined {
    return this.methods[era].get(method);
  }
}
