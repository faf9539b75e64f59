import {
  type AuthProvider,
  type CallToolResult,
  Client,
  type OAuthClientProvider,
  UnauthorizedError,
  type ListToolsResult,
  type McpSubscription,
  type SubscriptionFilter,
} from '@modelcontextprotocol/client';
import { CANDIDATES } from './candidates/candidates.js';
import type { CandidateContext, TransportCandidate } from './candidates/transport-candidate.js';
import {
  type McpFallbackClientOptions,
  type ResolvedFallbackOptions,
  resolveFallbackOptions,
} from './fallback-client.options.js';
import {
  type McpConnectionEvent,
  McpFallbackError,
  type TransportAttempt,
  type TransportName,
} from './transport-attempt.js';
import { McpClientTasks } from './mcp-client-tasks.js';
import { acceptTaskHandles } from './task-handle.adapter.js';
import { delay, reasonOf, withTimeout } from './with-timeout.js';
import { refusalStatusOf } from './refusal-status.js';

/** The first revision with `server/discover` and `subscriptions/listen`. */
const MODERN_SINCE = '2026-07-28';

type State = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed';

/**
 * An MCP client that connects through whatever the network lets through. Given a URL it tries
 * Streamable HTTP with SSE (proven, not assumed: see `proofTimeoutMs`), then WebSocket on the
 * same URL, then polling; records why each failed (`attempts`) and which one it chose
 * (`transportName`). When an established transport drops it reconnects and reports it
 * (`onEvent`, `on`). Runs in Node and in browsers; the SDK `Client` is `client`.
 *
 * @example
 * const mcp = new McpFallbackClient('https://example.com/mcp');
 * await mcp.connect();
 * console.log(mcp.transportName, mcp.attempts);
 * const result = await mcp.callTool('search_notes', { query: 'nest' });
 */
export class McpFallbackClient {
  /** The SDK client; it stays the same across reconnections, so handlers set on it stay. */
  readonly client: Client;
  readonly url: URL;
  /** The tasks extension: start a tool as a task, follow, answer and cancel it. */
  readonly tasks: McpClientTasks;

  private readonly options: ResolvedFallbackOptions;
  private readonly listeners = new Set<(event: McpConnectionEvent) => void>();
  private readonly attemptLog: TransportAttempt[] = [];
  private state: State = 'idle';
  private current: TransportCandidate | undefined;
  private subscription: McpSubscription | undefined;
  /** The transport whose GET stream answered but sent no event (the chain's last resort). */
  private unprimed: TransportName | undefined;
  /** `authProvider`, or `bearerToken` as a token-only provider. */
  private readonly authProvider: OAuthClientProvider | AuthProvider | undefined;
  /** The candidate whose connection needs the user's authorization (see `finishAuth`). */
  private authorizing: TransportCandidate | undefined;
  private authFailure: UnauthorizedError | undefined;

  constructor(
    url: string | URL,
    private readonly rawOptions: McpFallbackClientOptions = {},
  ) {
    this.url = new URL(url);
    if (this.url.protocol !== 'http:' && this.url.protocol !== 'https:') {
      throw new Error(`MCP URL must be http: or https: (got ${this.url.protocol})`);
    }
    this.options = resolveFallbackOptions(rawOptions);
    this.authProvider = rawOptions.authProvider ?? bearerProvider(rawOptions.bearerToken);
    if (rawOptions.onEvent !== undefined) this.listeners.add(rawOptions.onEvent);
    this.client = new Client(this.options.clientInfo, {
      ...rawOptions.clientOptions,
      versionNegotiation: { mode: this.options.versionNegotiation },
    });
    this.client.onclose = () => this.transportClosed();
    this.tasks = new McpClientTasks(this.client, rawOptions.clientOptions?.capabilities ?? {});
  }

  /** The transport in use, once connected. */
  get transportName(): TransportName | undefined {
    return this.current?.name;
  }

  /** Every attempt so far, in order, with its outcome, reason and duration. */
  get attempts(): readonly TransportAttempt[] {
    return this.attemptLog;
  }

  /** The negotiated protocol revision. */
  get protocolVersion(): string | undefined {
    return this.client.getNegotiatedProtocolVersion();
  }

  get connected(): boolean {
    return this.state === 'connected';
  }

  /** Adds a connection-event listener; returns its removal. */
  on(listener: (event: McpConnectionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tries the transports in order; rejects with {@link McpFallbackError} when none works. */
  async connect(): Promise<void> {
    if (this.state !== 'idle') throw new Error(`connect() called while ${this.state}`);
    this.state = 'connecting';
    try {
      await this.connectChain(this.options.transports);
    } catch (error) {
      // Waiting for the user's authorization: `finishAuth()`, then `connect()` again.
      this.state = error instanceof UnauthorizedError ? 'idle' : 'closed';
      throw error;
    }
    this.state = 'connected';
    this.emit({ type: 'connected', transport: this.current!.name, protocolVersion: this.protocolVersion });
  }

  /**
   * Completes the OAuth authorization `connect()` (or, for a step-up, a call rejected with
   * `UnauthorizedError`) was waiting for: the authorization response the redirect URI received
   * (its query, or just the `code`). Then `connect()` again, or repeat the call.
   *
   * @throws Error when no authorization is in progress; the SDK's OAuth errors otherwise.
   */
  async finishAuth(callback: URLSearchParams | string): Promise<void> {
    // A connection refused at connect time, or the one in use (a step-up asked for by a call).
    const candidate = this.authorizing ?? this.current;
    if (candidate?.finishAuth === undefined) throw new Error('finishAuth(): no authorization in progress');
    const params = typeof callback === 'string' ? new URLSearchParams({ code: callback }) : callback;
    await candidate.finishAuth(params);
    this.authorizing = undefined;
  }

  /** Calls a tool; the result as the server sent it (`isError` for tool-level failures). */
  callTool(
    name: string,
    args: Record<string, unknown> = {},
    options?: { onprogress?: (progress: { progress: number; total?: number; message?: string }) => void },
  ): Promise<CallToolResult> {
    return this.client.callTool({ name, arguments: args }, options) as Promise<CallToolResult>;
  }

  listTools(): Promise<ListToolsResult> {
    return this.client.listTools();
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    await this.subscription?.close().catch(() => undefined);
    await this.client.close().catch(() => undefined);
    this.emit({ type: 'closed' });
  }

  // ---- the fallback chain ---------------------------------------------------------------------

  private async connectChain(names: readonly TransportName[]): Promise<void> {
    const failures: TransportAttempt[] = [];
    this.unprimed = undefined;
    for (const name of names) {
      this.authFailure = undefined;
      const attempt = await this.attempt(name, 'first-event');
      if (attempt.ok) return;
      // The server wants authorization: another transport would only be refused the same way.
      if (this.authFailure !== undefined) throw this.authFailure;
      failures.push(attempt);
    }
    // A GET stream that answered but sent no event is a buffering proxy or a server that does
    // not prime its GET stream (the official SDK's does not): the client cannot tell which, so
    // it is taken only when nothing else worked, on its headers, as clients did before priming.
    if (this.unprimed !== undefined) {
      const attempt = await this.attempt(this.unprimed, 'headers');
      if (attempt.ok) return;
      failures.push(attempt);
    }
    throw new McpFallbackError(failures);
  }

  private async attempt(
    name: TransportName,
    legacyStreamProof: 'first-event' | 'headers',
  ): Promise<TransportAttempt> {
    const started = Date.now();
    const factory = CANDIDATES[name];
    let candidate: TransportCandidate | undefined;
    let outcome: TransportAttempt;
    try {
      if (factory === undefined) throw new Error('transport not available in this build');
      candidate = factory(await this.candidateContextFor(name, legacyStreamProof));
      const budget = this.options.timeouts[name];
      await withTimeout(
        this.client.connect(acceptTaskHandles(candidate.transport), { timeout: budget }),
        budget,
        `no MCP handshake within ${budget} ms`,
      );
      const proof = await this.prove(candidate);
      this.current = candidate;
      outcome = {
        transport: name,
        ok: true,
        reason: proof,
        ms: Date.now() - started,
        protocolVersion: this.protocolVersion,
      };
    } catch (error) {
      if (error instanceof UnprimedStreamError) this.unprimed = name;
      if (error instanceof UnauthorizedError) {
        this.authFailure = error;
        this.authorizing = candidate;
      }
      const protocolVersion = this.protocolVersion;
      await this.client.close().catch(() => undefined);
      const status = refusalStatusOf(error);
      outcome = {
        transport: name,
        ok: false,
        reason: reasonOf(error),
        ms: Date.now() - started,
        protocolVersion,
        ...(status !== undefined && { status }),
      };
    }
    this.attemptLog.push(outcome);
    this.emit({ type: 'attempt', attempt: outcome });
    return outcome;
  }

  /**
   * Proof that server-to-client messages arrive on this transport. 2026 era: the listen
   * stream's acknowledgement (over Streamable HTTP an event on a long-lived SSE response, which
   * a buffering proxy withholds); 2025 era: the transport's own check (the GET event stream).
   */
  private async prove(candidate: TransportCandidate): Promise<string> {
    const budget = this.options.proofTimeoutMs;
    const started = Date.now();
    const version = this.protocolVersion ?? '';
    if (version >= MODERN_SINCE) {
      const filter = this.listenFilter();
      if (filter === undefined) return `connected (${version}); no listen subscription requested`;
      this.subscription = await withTimeout(
        // The SDK's own timeout is later, so the reason given is ours.
        this.client.listen(filter, { timeout: budget + 1_000 }),
        budget,
        `no subscriptions/listen acknowledgement within ${budget} ms (event stream blocked or buffered?)`,
      );
      this.watchSubscription(this.subscription);
      return `${version}: subscriptions/listen acknowledged in ${Date.now() - started} ms`;
    }
    if (candidate.proveLegacyStream === undefined) return `connected (${version})`;
    const message = `the GET event stream sent no event within ${budget} ms (event stream blocked or buffered?)`;
    const proof = await withTimeout(candidate.proveLegacyStream(), budget, message).catch(
      (error: unknown) => {
        throw candidate.legacyStreamUnprimed?.() === true ? new UnprimedStreamError(message) : error;
      },
    );
    return `${version}: ${proof} in ${Date.now() - started} ms`;
  }

  private listenFilter(): SubscriptionFilter | undefined {
    if (this.rawOptions.listen === false) return undefined;
    if (this.rawOptions.listen !== undefined) return this.rawOptions.listen;
    const capabilities = this.client.getServerCapabilities() ?? {};
    const filter: SubscriptionFilter = {
      ...(capabilities.tools?.listChanged === true ? { toolsListChanged: true } : {}),
      ...(capabilities.prompts?.listChanged === true ? { promptsListChanged: true } : {}),
      ...(capabilities.resources?.listChanged === true ? { resourcesListChanged: true } : {}),
    };
    return Object.keys(filter).length > 0 ? filter : undefined;
  }

  /**
   * Streamable HTTP gets the auth provider itself; WebSocket and polling cannot run an OAuth
   * flow, so they get the provider's current access token as a header.
   */
  private async candidateContextFor(
    name: TransportName,
    legacyStreamProof: 'first-event' | 'headers',
  ): Promise<CandidateContext> {
    const context = this.candidateContext(legacyStreamProof);
    const provider = this.authProvider;
    if (provider === undefined) return context;
    if (name === 'streamable-http') return { ...context, authProvider: provider };
    const token = await currentToken(provider);
    return token === undefined
      ? context
      : { ...context, headers: { ...context.headers, authorization: `Bearer ${token}` } };
  }

  private candidateContext(legacyStreamProof: 'first-event' | 'headers'): CandidateContext {
    return {
      legacyStreamProof,
      url: this.url,
      headers: this.options.headers,
      fetch: this.rawOptions.fetch ?? ((input, init) => fetch(input, init)),
      webSocketFactory: this.rawOptions.webSocketFactory,
      pollTimeoutMs: this.rawOptions.pollTimeoutMs,
      onReconnect: (detail, resumed) => {
        if (this.state !== 'connected' || this.current === undefined) return;
        this.emit({ type: 'reconnected', transport: this.current.name, resumed, attempt: 1, ms: 0, detail });
      },
    };
  }

  // ---- reconnection ---------------------------------------------------------------------------

  /** A listen stream that ends while the transport stays up (an HTTP stream cut) is re-opened. */
  private watchSubscription(subscription: McpSubscription): void {
    void subscription.closed.then(async (how) => {
      if (how !== 'remote' || this.state !== 'connected' || this.subscription !== subscription) return;
      const transport = this.current!.name;
      this.emit({ type: 'disconnected', transport, reason: 'the listen stream ended' });
      const started = Date.now();
      for (let attempt = 1; attempt <= this.options.reconnect.maxAttempts; attempt++) {
        await delay(this.backoff(attempt));
        if (this.state !== 'connected' || this.subscription !== subscription) return;
        try {
          const next = await this.client.listen(this.listenFilter() ?? {}, {
            timeout: this.options.proofTimeoutMs,
          });
          this.subscription = next;
          this.watchSubscription(next);
          this.emit({
            type: 'reconnected',
            transport,
            resumed: false,
            attempt,
            ms: Date.now() - started,
            detail: 'subscriptions/listen re-opened',
          });
          return;
        } catch {
          // Try again after the next delay; a dead transport shows up as a close meanwhile.
        }
      }
      await this.client.close().catch(() => undefined);
    });
  }

  private transportClosed(): void {
    if (this.state !== 'connected' || this.current === undefined) return;
    const transport = this.current.name;
    this.state = 'reconnecting';
    this.subscription = undefined;
    this.emit({ type: 'disconnected', transport, reason: 'the transport closed' });
    if (!this.options.reconnect.enabled) {
      this.state = 'closed';
      this.emit({ type: 'closed' });
      return;
    }
    void this.reconnect(transport);
  }

  private async reconnect(transport: TransportName): Promise<void> {
    const started = Date.now();
    const { maxAttempts } = this.options.reconnect;
    for (let attempt = 1; attempt <= maxAttempts + 1; attempt++) {
      await delay(this.backoff(attempt));
      if (this.state !== 'reconnecting') return;
      // The last try runs the whole fallback again: the network may have changed.
      const names = attempt <= maxAttempts ? [transport] : this.options.transports;
      try {
        await this.connectChain(names);
      } catch {
        continue;
      }
      if (this.state !== 'reconnecting') {
        await this.client.close().catch(() => undefined);
        return;
      }
      this.state = 'connected';
      this.emit({
        type: 'reconnected',
        transport: this.current!.name,
        resumed: false,
        attempt,
        ms: Date.now() - started,
        detail: `new ${this.current!.name} connection (${this.protocolVersion})`,
      });
      return;
    }
    this.state = 'closed';
    this.emit({
      type: 'reconnect-failed',
      transport,
      reason: `no reconnection after ${maxAttempts + 1} tries`,
    });
  }

  /** The server's `retry` when it sent one, else exponential backoff. */
  private backoff(attempt: number): number {
    const hinted = this.current?.retryMs();
    if (hinted !== undefined && attempt === 1) return hinted;
    const { initialDelayMs, maxDelayMs } = this.options.reconnect;
    return Math.min(maxDelayMs, initialDelayMs * 2 ** (attempt - 1));
  }

  private emit(event: McpConnectionEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A listener's failure is its own.
      }
    }
  }
}

/** The 2025 GET stream answered `200 text/event-stream` but sent no event within the budget. */
class UnprimedStreamError extends Error {}

/** `bearerToken` as a token-only SDK `AuthProvider` (undefined when not set). */
function bearerProvider(bearerToken: McpFallbackClientOptions['bearerToken']): AuthProvider | undefined {
  if (bearerToken === undefined) return undefined;
  return { token: async () => (typeof bearerToken === 'string' ? bearerToken : await bearerToken()) };
}

/** The access token a provider holds now, whichever shape it has. */
async function currentToken(provider: OAuthClientProvider | AuthProvider): Promise<string | undefined> {
  if ('token' in provider && typeof provider.token === 'function') return provider.token();
  return (await (provider as OAuthClientProvider).tokens())?.access_token;
}
