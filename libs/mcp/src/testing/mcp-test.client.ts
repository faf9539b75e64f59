import {
  type CallToolResult,
  Client,
  type CompleteRequestParams,
  type CompleteResult,
  type GetPromptResult,
  InMemoryTransport,
  LOG_LEVEL_META_KEY,
  type LoggingMessageNotificationParams,
  type McpSubscription,
  type ProgressNotificationParams,
  type Prompt,
  type ReadResourceResult,
  type Resource,
  type ResourceTemplateType,
  type Tool,
} from '@modelcontextprotocol/client';
import type { INestApplicationContext } from '@nestjs/common';
import { McpProtocolService } from '../protocol/mcp-protocol.service.js';
import { withMessageExtra } from './message-extra.transport.js';
import type { McpTestClientOptions, McpTestEra } from './mcp-test-client.options.js';
import { NotificationRecorder, type RecordedNotification } from './notification-recorder.js';

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_CLIENT_INFO = { name: 'nest-mcp-testing', version: '1.0.0' };

/**
 * An MCP client for specs: the official SDK `Client` connected in memory to a Nest app's MCP
 * server (no port, no socket), through the same protocol layer and Nest pipeline (guards,
 * interceptors, pipes, filters) as Streamable HTTP, WebSocket or stdio. Runner-agnostic: works
 * under Jest, Vitest and `node:test`.
 *
 * @example
 * ```ts
 * const client = await McpTestClient.connect(app, { era: '2025', principal: { roles: ['editor'] } });
 * const result = await client.callTool('create_note', { title: 'Milk', body: '2 litres' });
 * await client.close();
 * ```
 */
export class McpTestClient {
  /** Every notification the server sent, in order (progress, log messages, list changes, ...). */
  readonly notifications: readonly RecordedNotification[];

  private constructor(
    /** The SDK client itself, for anything the conveniences do not cover. */
    readonly sdk: Client,
    readonly era: McpTestEra,
    private readonly recorder: NotificationRecorder,
    private readonly options: McpTestClientOptions,
    private readonly subscription: McpSubscription | undefined,
  ) {
    this.notifications = recorder.received;
  }

  /**
   * Connects to `target`: an `INestApplication` (listening or not), a `TestingModule`, or the
   * `McpProtocolService` itself. An app or module is initialised first (`init()`, idempotent),
   * so its handlers are discovered; closing it stays the spec's job.
   *
   * @throws the SDK's connect error when the handshake fails (e.g. the server refuses the era).
   */
  static async connect(
    target: INestApplicationContext | McpProtocolService,
    options: McpTestClientOptions = {},
  ): Promise<McpTestClient> {
    const service = target instanceof McpProtocolService ? target : await protocolOf(target);
    const era = options.era ?? '2026';
    const recorder = new NotificationRecorder();
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const extra = { principal: options.principal, rawRequest: options.rawRequest };
    await service.connect(
      withMessageExtra(serverSide, extra, (message) => recorder.record(message)),
      { transport: 'memory' },
    );
    const sdk = new Client(options.clientInfo ?? DEFAULT_CLIENT_INFO, {
      capabilities: {
        ...(options.onElicit !== undefined && { elicitation: { form: {} } }),
        ...(options.onSample !== undefined && { sampling: {} }),
        ...(options.onRoots !== undefined && { roots: {} }),
        ...options.capabilities,
      },
      versionNegotiation: { mode: era === '2026' ? { pin: '2026-07-28' } : 'legacy' },
    });
    answerServerRequests(sdk, options);
    const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    await sdk.connect(clientSide, { timeout });
    let subscription: McpSubscription | undefined;
    if (era === '2025' && options.logLevel !== undefined)
      await sdk.setLoggingLevel(options.logLevel, { timeout });
    if (era === '2026' && options.listen !== false) {
      subscription = await sdk.listen(
        { toolsListChanged: true, resourcesListChanged: true, promptsListChanged: true },
        { timeout },
      );
    }
    return new McpTestClient(sdk, era, recorder, options, subscription);
  }

  /** The `params` of every `notifications/progress` received, in order. */
  get progress(): ProgressNotificationParams[] {
    return this.paramsOf<ProgressNotificationParams>('notifications/progress');
  }

  /** The `params` of every log message (`notifications/message`) received, in order. */
  get logs(): LoggingMessageNotificationParams[] {
    return this.paramsOf<LoggingMessageNotificationParams>('notifications/message');
  }

  /** Every tool (all pages). */
  async listTools(): Promise<Tool[]> {
    return (await this.sdk.listTools(undefined, { ...this.requestOptions(), cacheMode: 'bypass' })).tools;
  }

  /**
   * Calls a tool. A tool-level failure (thrown `McpToolError`, failed validation of the
   * arguments) is a result with `isError: true`; a protocol refusal (unknown tool) rejects with
   * the SDK's `ProtocolError` (`code`, `message`). Progress the tool reports lands in `progress`.
   */
  async callTool(name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
    return (await this.sdk.callTool(
      { name, arguments: args, _meta: this.meta() },
      // Asking for progress gives the request a progress token, without which none is sent.
      { ...this.requestOptions(), onprogress: () => undefined },
    )) as CallToolResult;
  }

  /** Every resource with a fixed URI (all pages). */
  async listResources(): Promise<Resource[]> {
    return (await this.sdk.listResources(undefined, { ...this.requestOptions(), cacheMode: 'bypass' }))
      .resources;
  }

  /** Every resource template (all pages). */
  async listResourceTemplates(): Promise<ResourceTemplateType[]> {
    return (
      await this.sdk.listResourceTemplates(undefined, { ...this.requestOptions(), cacheMode: 'bypass' })
    ).resourceTemplates;
  }

  /** Reads a resource, fixed or matching a template. */
  readResource(uri: string): Promise<ReadResourceResult> {
    return this.sdk.readResource(
      { uri, _meta: this.meta() },
      { ...this.requestOptions(), cacheMode: 'bypass' },
    );
  }

  /** Every prompt (all pages). */
  async listPrompts(): Promise<Prompt[]> {
    return (await this.sdk.listPrompts(undefined, this.requestOptions())).prompts;
  }

  getPrompt(name: string, args: Record<string, string> = {}): Promise<GetPromptResult> {
    return this.sdk.getPrompt({ name, arguments: args, _meta: this.meta() }, this.requestOptions());
  }

  /**
   * Completes an argument of a prompt (`{ type: 'ref/prompt', name }`) or resource template
   * (`{ type: 'ref/resource', uri }`); `context` holds the arguments already chosen.
   */
  async complete(
    ref: CompleteRequestParams['ref'],
    argument: { name: string; value: string },
    context?: Record<string, string>,
  ): Promise<CompleteResult['completion']> {
    const params = { ref, argument, ...(context !== undefined && { context: { arguments: context } }) };
    return (await this.sdk.complete(params, this.requestOptions())).completion;
  }

  /**
   * The first notification `method` received, or the next one to arrive (optionally the first
   * that `matches`), for notifications that come after the call that caused them (list changes).
   *
   * @throws Error listing what did arrive, after `timeoutMs` (default 2000).
   */
  waitForNotification(
    method: string,
    options: { timeoutMs?: number; matches?: (notification: RecordedNotification) => boolean } = {},
  ): Promise<RecordedNotification> {
    return this.recorder.waitFor(method, options.timeoutMs ?? 2_000, options.matches);
  }

  /** Closes the client and its side of the connection; the server sees it as a client going away. */
  async close(): Promise<void> {
    await this.subscription?.close();
    await this.sdk.close();
  }

  private paramsOf<T>(method: string): T[] {
    return this.recorder.received
      .filter((notification) => notification.method === method)
      .map((notification) => notification.params as T);
  }

  private requestOptions(): { timeout: number } {
    return { timeout: this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS };
  }

  /** 2026 era: the log level travels on each request (2025 set it once for the session). */
  private meta(): Record<string, unknown> | undefined {
    return this.era === '2026' ? { [LOG_LEVEL_META_KEY]: this.options.logLevel ?? 'debug' } : undefined;
  }
}

async function protocolOf(app: INestApplicationContext): Promise<McpProtocolService> {
  await app.init();
  return app.get(McpProtocolService);
}

function answerServerRequests(sdk: Client, options: McpTestClientOptions): void {
  const { onElicit, onSample, onRoots } = options;
  if (onElicit !== undefined)
    sdk.setRequestHandler('elicitation/create', (request) => onElicit(request.params));
  if (onSample !== undefined)
    sdk.setRequestHandler('sampling/createMessage', (request) => onSample(request.params));
  if (onRoots !== undefined) sdk.setRequestHandler('roots/list', async () => ({ roots: await onRoots() }));
}
