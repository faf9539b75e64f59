import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
// Types only: ioredis is an optional peer, loaded when the state connects.
import type { Redis, RedisOptions } from 'ioredis';
import type { McpSharedState, McpSharedStateHealth } from '../state/shared-state.interface.js';
import { RedisChangeBus } from './redis-change-bus.js';
import { RedisChannelStore } from './redis-channel-store.js';
import { RedisChannels } from './redis-channels.js';
import { RedisEventStore } from './redis-event-store.js';
import { RedisFleetChangeLog } from './redis-fleet-change-log.js';
import { RedisTaskStore } from './redis-task.store.js';
import { RedisInstanceRouter } from './redis-instance-router.js';
import { RedisSessionStore } from './redis-session-store.js';

/** Options of `redisState()`. */
export interface RedisStateOptions {
  /** `redis://[[user]:password@]host:port[/db]` (or `rediss://` for TLS). Default `redis://127.0.0.1:6379`. */
  url?: string;
  /**
   * Prefix of every key and channel. Instances of one server share it; two servers (or two
   * test runs) on one Redis use different ones. Default `nest-mcp:`.
   */
  keyPrefix?: string;
  /** Start-up fails when Redis has not answered within this long. Default 5,000 ms. */
  connectTimeoutMs?: number;
  /** A Redis command unanswered for this long fails (no request ever waits on a dead Redis). Default 2,000 ms. */
  commandTimeoutMs?: number;
  /** Longest wait between reconnection attempts while Redis is away. Default 2,000 ms. */
  maxReconnectDelayMs?: number;
  /**
   * An instance killed without closing is taken for dead this long after its last sign of
   * life: then another instance ends the requests it was running with an error (see the
   * README's "Sessions on several instances"), and its unfinished tasks are reported failed.
   * Each instance renews its liveness key every third of this. Default 5,000 ms.
   */
  instanceTtlMs?: number;
  /** SSE events kept per stream for `Last-Event-ID` (approximately). Default 1,000. */
  maxEventsPerStream?: number;
  /** An SSE stream with no new event for this long is dropped from Redis. Default 3,600,000 ms (1 h). */
  eventTtlMs?: number;
  /** More ioredis options (TLS, Sentinel, ...); the ones above and the fail-fast settings win. */
  redisOptions?: RedisOptions;
}

/**
 * Redis-backed state for several instances of one MCP server (`McpModule.forRoot({ state:
 * redisState({ url }), requestState: { keys: [...] } })`): list-changed and resource-updated
 * events on Redis pub/sub (`RedisChangeBus`), fleet-wide registry changes
 * (`RedisFleetChangeLog`), the tasks extension's tasks (`RedisTaskStore`), and 2025-era
 * sessions served by any instance: sessions in `RedisSessionStore`, their SSE events on Redis
 * Streams (`RedisEventStore`), messages between instances on pub/sub (`RedisInstanceRouter`).
 * Two connections per process, as the socket.io Redis adapter has:
 * one for commands and publishing, one subscribed.
 *
 * Faults: start-up fails when Redis cannot be reached within `connectTimeoutMs`; later,
 * ioredis reconnects on its own, commands fail at once while it is away (no offline queue,
 * no retries: what needs Redis answers `McpStateUnavailableError`, never waits), stateless
 * requests do not touch Redis at all, and when it is back each instance tells its listeners
 * that lists may have changed and applies the fleet changes it missed.
 */
export function redisState(options: RedisStateOptions = {}): McpSharedState {
  return new RedisSharedState(options);
}

class RedisSharedState implements McpSharedState {
  readonly name = 'redis';
  readonly changeBus: RedisChangeBus;
  readonly fleetLog: RedisFleetChangeLog;
  readonly tasks: RedisTaskStore;
  readonly sessions: {
    store: RedisSessionStore;
    events: RedisEventStore;
    router: RedisInstanceRouter;
    channels: RedisChannelStore;
  };
  private readonly channels: RedisChannels;
  private readonly logger = new Logger('McpRedisState');
  private readonly redisOptions: RedisOptions;
  private commands: Redis | undefined;
  private subscriber: Redis | undefined;
  private readonly url: string;
  private readonly busChannel: string;
  private readonly fleetChannel: string;
  private readonly connectTimeoutMs: number;
  /** Set when a connection was lost after it had been ready; cleared when both are back. */
  private lost = false;
  private lastError: string | undefined;
  private connected = false;
  private closing = false;

  constructor(options: RedisStateOptions) {
    this.url = options.url ?? 'redis://127.0.0.1:6379';
    const prefix = options.keyPrefix ?? 'nest-mcp:';
    this.connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
    const maxDelay = options.maxReconnectDelayMs ?? 2_000;
    this.redisOptions = {
      ...options.redisOptions,
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs ?? 2_000,
      connectTimeout: this.connectTimeoutMs,
      retryStrategy: (attempt) => Math.min(attempt * 100, maxDelay),
    };
    // Short: it is part of server-to-client request ids and SSE stream ids.
    const instanceId = randomBytes(6).toString('hex');
    this.busChannel = `${prefix}changes`;
    this.fleetChannel = `${prefix}fleet`;
    this.changeBus = new RedisChangeBus(() => this.commands, this.busChannel, instanceId, this.logger);
    this.fleetLog = new RedisFleetChangeLog(
      () => this.commands,
      { changes: `${prefix}fleet:changes`, seq: `${prefix}fleet:seq`, channel: this.fleetChannel },
      instanceId,
    );
    this.channels = new RedisChannels(() => this.subscriber);
    this.sessions = {
      store: new RedisSessionStore(() => this.commands, prefix),
      events: new RedisEventStore(() => this.commands, this.channels, prefix, {
        maxEventsPerStream: options.maxEventsPerStream ?? 1_000,
        ttlMs: options.eventTtlMs ?? 3_600_000,
      }),
      channels: new RedisChannelStore(() => this.commands, this.channels, prefix),
      router: new RedisInstanceRouter(
        () => this.commands,
        prefix,
        instanceId,
        options.instanceTtlMs ?? 5_000,
        this.logger,
      ),
    };
    // One liveness for the whole instance: its sessions' requests and its tasks die together.
    this.tasks = new RedisTaskStore(
      () => this.commands,
      { prefix },
      instanceId,
      this.logger,
      (id) => this.sessions.router.isAlive(id),
    );
  }

  async connect(): Promise<void> {
    const { commands, subscriber } = await this.createClients();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${this.connectTimeoutMs} ms`)),
        this.connectTimeoutMs,
      );
    });
    try {
      await Promise.race([
        Promise.all([commands.connect(), subscriber.connect()]).then(() =>
          subscriber.subscribe(
            this.busChannel,
            this.fleetChannel,
            this.tasks.channel,
            this.tasks.changesChannel,
            ...this.sessions.router.channels,
          ),
        ),
        timeout,
      ]);
    } catch (error) {
      this.closing = true;
      commands.disconnect();
      subscriber.disconnect();
      const reason = this.lastError ?? (error instanceof Error ? error.message : String(error));
      throw new Error(
        `nest-mcp/redis: cannot reach Redis at ${this.safeUrl} (${reason}). Start Redis or fix the URL ` +
          "(redisState's url); the server does not start without the shared state it was given",
        { cause: error },
      );
    } finally {
      clearTimeout(timer);
    }
    this.lastError = undefined;
    this.connected = true;
    await this.sessions.router.start();
  }

  /** Two connections, as the socket.io Redis adapter has: commands and publishing, and subscribed. */
  private async createClients(): Promise<{ commands: Redis; subscriber: Redis }> {
    let Client: typeof Redis;
    try {
      ({ Redis: Client } = await import('ioredis'));
    } catch (error) {
      throw new Error('nest-mcp/redis needs the ioredis package: npm install ioredis', { cause: error });
    }
    const commands = new Client(this.url, this.redisOptions);
    // Subscribing waits for the connection at start-up; a subscriber runs no other command.
    const subscriber = new Client(this.url, {
      ...this.redisOptions,
      enableOfflineQueue: true,
      commandTimeout: undefined,
    });
    subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.busChannel) this.changeBus.receive(message);
      else if (channel === this.fleetChannel) this.fleetLog.receive(message);
      else if (channel === this.tasks.channel) this.tasks.receive(message);
      else if (channel === this.tasks.changesChannel) this.tasks.receiveChange(message);
      else if (this.sessions.router.channels.includes(channel)) this.sessions.router.receive(message);
      else this.channels.dispatch(channel, message);
    });
    for (const client of [commands, subscriber]) {
      client.on('error', (error: Error) => this.onError(error));
      client.on('close', () => this.onClose());
      client.on('ready', () => this.onReady());
    }
    this.commands = commands;
    this.subscriber = subscriber;
    return { commands, subscriber };
  }

  health(): McpSharedStateHealth {
    const up = this.commands?.status === 'ready' && this.subscriber?.status === 'ready';
    return {
      up,
      details: {
        url: this.safeUrl,
        status: this.commands?.status ?? 'not connected',
        subscriber: this.subscriber?.status ?? 'not connected',
        ...(!up && this.lastError !== undefined && { error: this.lastError }),
      },
    };
  }

  async close(): Promise<void> {
    await this.sessions.router.stop();
    this.closing = true;
    const clients = [this.commands, this.subscriber].filter((client) => client !== undefined);
    await Promise.all(
      clients.map((client) =>
        client.status === 'ready' ? client.quit().catch(() => client.disconnect()) : client.disconnect(),
      ),
    );
  }

  /** The URL without credentials, for logs and health details. */
  private get safeUrl(): string {
    try {
      const url = new URL(this.url);
      url.username = '';
      url.password = '';
      return url.toString();
    } catch {
      return '(unparsable URL)';
    }
  }

  private onError(error: Error): void {
    // ioredis reports every failed reconnection attempt; one line per outage is enough.
    if (this.lastError === undefined && !this.closing) this.logger.warn(`Redis: ${error.message}`);
    this.lastError = error.message;
  }

  private onClose(): void {
    if (!this.connected || this.closing || this.lost) return;
    this.lost = true;
    this.logger.warn(`Lost the connection to Redis at ${this.safeUrl}; reconnecting`);
  }

  private onReady(): void {
    if (!this.lost || this.commands?.status !== 'ready' || this.subscriber?.status !== 'ready') return;
    this.lost = false;
    this.lastError = undefined;
    this.logger.log(`Reconnected to Redis at ${this.safeUrl}`);
    this.changeBus.resync();
    this.fleetLog.catchUp().catch((error: unknown) => {
      this.logger.warn(
        `Could not catch up on fleet changes: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
  }
}
