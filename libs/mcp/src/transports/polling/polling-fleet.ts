import type { ServerResponse } from 'node:http';
import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/server';
import type { Logger } from '@nestjs/common';
import { JsonRpcErrorCode } from '../../errors/wire-errors.js';
import { cancelledRequestId } from '../../protocol/json-rpc-messages.js';
import type { McpConnectOptions } from '../../protocol/mcp-connection.interface.js';
import type { TransportMeter } from '../../observability/transport-meter.js';
import type { McpProtocolService } from '../../protocol/mcp-protocol.service.js';
import type { McpChannelStore, McpStoredChannel } from '../../state/channel-store.js';
import type { McpInstanceRouter } from '../../state/instance-router.js';
import type { McpSessionState } from '../../state/session-store.js';
import { writeAccepted, writeError, writeJson } from '../http/http-responses.js';
import { IdleConnectionRegistry } from '../idle-connection-registry.js';
import type { McpMessageExtra } from '../transport.interface.js';
import { CHANNEL_ID_HEADER, IN_FLIGHT_RETRY_AFTER, NO_STORE, RETRY_AFTER } from './polling.constants.js';
import type { BatchLimits } from './polling-event-queue.js';
import { type PrincipalKey, UNKEYABLE } from './polling-principal.js';
import { type SharedChannelHost, SharedPollingChannel } from './shared-polling-channel.js';
import { EMPTY_BATCH, writeBatch } from './poll-batch.response.js';

const DELIVER = 'channel:deliver';
const ENDED = 'channel:ended';

export interface PollingFleetSettings {
  readonly maxChannels: number;
  readonly idleTimeoutMs: number;
  readonly maxInFlight: number;
  readonly maxQueuedBytes: number;
  readonly batch: BatchLimits;
  readonly maxMessageBytes: number;
}

/**
 * Polling channels served by every instance of a fleet (the `state` option's
 * `sessions.channels`): the channel and its outgoing queue live in the channel store, each
 * instance that sees the channel holds a replica (a protocol connection restored from the
 * store). A send is processed where it lands and its answers are queued in the store; a poll
 * on any instance acknowledges and reads the store's queue and, when empty, waits for the
 * store's wake-up. The channel limit, the queue bound, idle expiry and the in-flight cap are
 * counted in the store, so they hold fleet-wide; a client's answer to a server request goes
 * to the instance waiting for it, a cancellation to every instance.
 *
 * An instance dies with requests in flight: the next poll on another instance finds them in
 * the store under the dead instance and queues an error answer for each (the client sees
 * -32603, never a hang). Parked polls are per instance: a newer poll supersedes an older one
 * on the same instance only. Unsolicited events (list-changed, ...) are queued by the opener's
 * replica, or, once the opener died, by the replica holding the client's parked poll.
 */
export class PollingFleet implements SharedChannelHost {
  private readonly replicas: ReplicaRegistry;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly store: McpChannelStore,
    private readonly router: McpInstanceRouter,
    private readonly engine: McpProtocolService,
    private readonly settings: PollingFleetSettings,
    private readonly meter: TransportMeter,
    private readonly logger: Logger,
  ) {
    this.replicas = new ReplicaRegistry({
      capacity: Number.POSITIVE_INFINITY,
      idleTimeoutMs: settings.idleTimeoutMs,
      sweepPeriodMs: Math.max(10, Math.min(Math.ceil(settings.idleTimeoutMs / 4), 10_000)),
      keyOf: (channel) => channel.channelId,
      mayIdle: (channel) => !channel.busy,
      // The channel lives on in the store (its own expiry ends it): only the replica goes.
      onIdle: (channel) => void this.drop(channel, false),
    });
    router.on(DELIVER, (body) => {
      const { c, m } = body as { c: string; m: JSONRPCMessage };
      this.local(c)?.deliverHere(m);
    });
    router.on(ENDED, (body) => {
      const channel = this.local((body as { c: string }).c);
      if (channel !== undefined) void this.drop(channel, true);
    });
    this.heartbeat = setInterval(
      () => void this.beat(),
      Math.max(10, Math.min(settings.idleTimeoutMs / 3, 30_000)),
    );
    this.heartbeat.unref();
  }

  // ---- the four requests --------------------------------------------------------------------------

  async open(
    res: ServerResponse,
    channelId: string,
    principal: string | null,
    pollTimeoutMs: number,
  ): Promise<void> {
    let opened: boolean;
    try {
      opened = await this.store.open(
        channelId,
        { principal, pollTimeoutMs, opener: this.router.instanceId },
        { maxChannels: this.settings.maxChannels, idleTimeoutMs: this.settings.idleTimeoutMs },
      );
    } catch (error) {
      return unavailable(res, error);
    }
    if (!opened) {
      this.meter.refused('capacity');
      return writeError(
        res,
        'at-capacity',
        'Service Unavailable: too many polling channels',
        null,
        undefined,
        RETRY_AFTER,
      );
    }
    const body = JSON.stringify({
      channelId,
      pollTimeoutMs,
      channelIdleTimeoutMs: this.settings.idleTimeoutMs,
      maxMessageBytes: this.settings.maxMessageBytes,
    });
    writeJson(res, 201, body, undefined, { [CHANNEL_ID_HEADER]: channelId, ...NO_STORE });
  }

  async receive(
    res: ServerResponse,
    channelId: string,
    principal: PrincipalKey,
    message: JSONRPCMessage,
    isRequest: boolean,
    extra: McpMessageExtra,
  ): Promise<void> {
    let channel: SharedPollingChannel | undefined;
    try {
      channel = await this.replicaOf(channelId, principal);
      if (channel === undefined) return notFound(res);
      if (isRequest) {
        const id = (message as { id: RequestId }).id;
        const admitted = await this.store.admit(
          channelId,
          this.router.instanceId,
          JSON.stringify(id),
          this.settings.maxInFlight,
        );
        if (!admitted) {
          this.meter.refused('in-flight');
          return writeError(
            res,
            'at-capacity',
            'Service Unavailable: too many requests in flight on this channel',
            id,
            undefined,
            IN_FLIGHT_RETRY_AFTER,
          );
        }
      }
    } catch (error) {
      return unavailable(res, error);
    }
    channel.receive(message, extra);
    writeAccepted(res);
  }

  async poll(res: ServerResponse, channelId: string, principal: PrincipalKey, cursor: number): Promise<void> {
    let channel: SharedPollingChannel | undefined;
    try {
      channel = await this.replicaOf(channelId, principal);
      if (channel === undefined) return notFound(res);
      await this.reapOrphans(channelId);
      const batch = await this.store.poll(
        channelId,
        cursor,
        this.settings.batch,
        this.settings.idleTimeoutMs,
      );
      if (batch === 'gone') return notFound(res);
      if (batch === 'unknown-cursor') {
        return writeError(
          res,
          'invalid-request',
          'Bad Request: Last-Event-ID names no event of this channel',
        );
      }
      if (batch.count > 0 || channel.pollTimeoutMs === 0) return writeBatch(res, `{"events":${batch.json}}`);
    } catch (error) {
      return unavailable(res, error);
    }
    await this.park(channel, res, cursor);
  }

  async close(res: ServerResponse, channelId: string, principal: PrincipalKey): Promise<void> {
    try {
      const channel = await this.replicaOf(channelId, principal);
      if (channel === undefined) return notFound(res);
      await this.end(channel);
    } catch (error) {
      return unavailable(res, error);
    }
    if (res.headersSent || res.destroyed) return;
    res.writeHead(204);
    res.end();
  }

  // ---- SharedChannelHost ------------------------------------------------------------------------------

  async push(channel: SharedPollingChannel, json: string): Promise<void> {
    const pushed = await this.store.push(channel.channelId, json, this.settings.maxQueuedBytes);
    if (pushed !== 'gone') this.meter.messageOut();
    if (pushed === 'overflow') {
      this.meter.dropped('slow-consumer');
      this.logger.warn(
        `Polling channel ${channel.channelId} closed: over ${this.settings.maxQueuedBytes} unacknowledged bytes`,
      );
      await this.end(channel);
    }
  }

  saveSession(channel: SharedPollingChannel, state: McpSessionState): Promise<void> {
    return this.store.saveSession(channel.channelId, state, this.settings.idleTimeoutMs);
  }

  forward(channel: SharedPollingChannel, message: JSONRPCMessage): boolean {
    if (!('method' in message) && 'id' in message) {
      const id = message.id;
      const dot = typeof id === 'string' ? id.indexOf('.') : -1;
      const owner = dot > 0 ? (id as string).slice(0, dot) : undefined;
      if (owner === undefined || owner === this.router.instanceId) return false;
      void this.announce(DELIVER, { c: channel.channelId, m: message }, owner);
      return true;
    }
    if (cancelledRequestId(message) !== undefined)
      void this.announce(DELIVER, { c: channel.channelId, m: message });
    return false;
  }

  openerAlive(channel: SharedPollingChannel): Promise<boolean> {
    return this.router.isAlive(channel.opener);
  }

  // ---- shutdown ---------------------------------------------------------------------------------------

  /** This instance stops: its parked polls get an empty answer (the client polls again elsewhere). */
  async shutdown(graceMs: number): Promise<void> {
    clearInterval(this.heartbeat);
    this.replicas.stop();
    await Promise.all(
      this.replicas.all().map(async (channel) => {
        for (const res of channel.polls) writeBatch(res, EMPTY_BATCH);
        channel.polls.clear();
        await channel.connection?.shutdown(graceMs);
      }),
    );
  }

  // ---- replicas ---------------------------------------------------------------------------------------

  private local(channelId: string): SharedPollingChannel | undefined {
    return this.replicas.get(channelId);
  }

  /** This instance's replica of the channel, if `principal` opened it; refreshed from the store. */
  private async replicaOf(
    channelId: string,
    principal: PrincipalKey,
  ): Promise<SharedPollingChannel | undefined> {
    if (principal === UNKEYABLE) return undefined;
    const local = this.local(channelId);
    const stored = await this.store.touch(channelId, this.settings.idleTimeoutMs, local?.revision);
    if (stored === undefined) {
      if (local !== undefined) void this.drop(local, true);
      return undefined;
    }
    // Someone else's channel is reported missing: a stranger learns nothing of it.
    if (stored.principal !== (principal ?? null)) return undefined;
    if (local !== undefined && !local.closed) {
      if (stored.session !== undefined) {
        local.revision = stored.revision;
        local.connection?.restoreSession(stored.session);
      }
      return local;
    }
    return this.restore(channelId, stored);
  }

  private async restore(channelId: string, stored: McpStoredChannel): Promise<SharedPollingChannel> {
    const channel = new SharedPollingChannel(
      channelId,
      stored.opener,
      stored.principal,
      stored.pollTimeoutMs,
      stored.revision,
      stored.opener === this.router.instanceId,
      this,
    );
    const options: McpConnectOptions = {
      transport: 'polling',
      ...(stored.session !== undefined && { era: 'legacy' }),
      shared: {
        ...(stored.session !== undefined && { restore: stored.session }),
        onChange: (state) => channel.saveState(state),
        requestIdPrefix: `${this.router.instanceId}.`,
      },
    };
    channel.connection = await this.engine.connect(channel, options);
    channel.connection.onRequestSettled = (id) => {
      this.store.settle(channelId, this.router.instanceId, JSON.stringify(id)).catch((error: unknown) => {
        this.logger.warn(`Polling channel ${channelId}: ${errorText(error)}`);
      });
    };
    this.replicas.add(channel);
    return channel;
  }

  /** Ends the channel everywhere: deleted from the store, every replica told. */
  private async end(channel: SharedPollingChannel): Promise<void> {
    await this.store.delete(channel.channelId);
    await this.announce(ENDED, { c: channel.channelId });
    await this.drop(channel, true);
  }

  /** Ends this instance's replica; `closed`: the channel itself ended (parked polls are told). */
  private async drop(channel: SharedPollingChannel, closed: boolean): Promise<void> {
    this.replicas.remove(channel);
    for (const res of channel.polls) writeBatch(res, closed ? '{"events":[],"closed":true}' : EMPTY_BATCH);
    channel.polls.clear();
    if (channel.connection !== undefined) await channel.connection.shutdown(0);
    else await channel.close();
  }

  /** Parks a poll until the store wakes this instance for the channel, or the poll's time is up. */
  private async park(channel: SharedPollingChannel, res: ServerResponse, cursor: number): Promise<void> {
    // One parked poll per replica: a newer one supersedes it (nothing is lost, nothing was acknowledged).
    for (const previous of channel.polls) writeBatch(previous, EMPTY_BATCH);
    channel.polls.clear();
    channel.polls.add(res);
    let stop: (() => void) | undefined;
    let reading = false;
    let again = false;
    const done = (body: string): void => {
      clearTimeout(timer);
      stop?.();
      if (!channel.polls.delete(res)) return;
      channel.lastActivity = Date.now();
      writeBatch(res, body);
    };
    const read = async (): Promise<void> => {
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      try {
        do {
          again = false;
          if (!channel.polls.has(res)) return;
          const batch = await this.store.poll(
            channel.channelId,
            cursor,
            this.settings.batch,
            this.settings.idleTimeoutMs,
          );
          if (batch === 'gone') return done('{"events":[],"closed":true}');
          if (batch !== 'unknown-cursor' && batch.count > 0) return done(`{"events":${batch.json}}`);
        } while (again);
      } catch (error) {
        this.logger.warn(`Polling channel ${channel.channelId}: ${errorText(error)}`);
        done(EMPTY_BATCH);
      } finally {
        reading = false;
      }
    };
    const timer = setTimeout(() => done(EMPTY_BATCH), channel.pollTimeoutMs);
    res.once('close', () => {
      clearTimeout(timer);
      stop?.();
      channel.polls.delete(res);
      channel.lastActivity = Date.now();
    });
    try {
      stop = await this.store.watch(channel.channelId, () => void read());
    } catch {
      return done(EMPTY_BATCH);
    }
    if (!channel.polls.has(res)) return stop();
    // A message queued between the first read and the watch: read once more.
    await read();
  }

  /** Queues an error answer for each request in flight on an instance that died. */
  private async reapOrphans(channelId: string): Promise<void> {
    const inFlight = await this.store.inFlight(channelId);
    for (const [instance, requests] of inFlight) {
      if (instance === this.router.instanceId || (await this.router.isAlive(instance))) continue;
      for (const requestKey of requests) {
        const answer = {
          jsonrpc: '2.0',
          id: JSON.parse(requestKey) as RequestId,
          error: {
            code: JsonRpcErrorCode.InternalError,
            message:
              'The server instance running this request stopped before answering it; the request may or may not have taken effect',
          },
        };
        // Whoever removes the entry answers for it: two polls reaping at once answer once.
        if (await this.store.settle(channelId, instance, requestKey)) {
          await this.store.push(channelId, JSON.stringify(answer), Number.POSITIVE_INFINITY);
        }
      }
    }
  }

  /**
   * A poll parked here keeps its channel alive; a request running here does not (as on one
   * instance, the client must poll): once the channel expired, the replica ends and its
   * requests are cancelled.
   */
  private async beat(): Promise<void> {
    const replicas = this.replicas.all();
    const polled = replicas.filter((channel) => channel.polls.size > 0);
    const running = replicas.filter((channel) => channel.polls.size === 0 && channel.busy);
    try {
      await this.store.keepAlive(
        polled.map((channel) => channel.channelId),
        this.settings.idleTimeoutMs,
      );
      const existing = await this.store.existing(running.map((channel) => channel.channelId));
      for (const channel of running) if (!existing.has(channel.channelId)) void this.drop(channel, true);
    } catch (error) {
      this.logger.warn(`Polling channels could not be kept alive: ${errorText(error)}`);
    }
  }

  private async announce(topic: string, body: unknown, to?: string): Promise<void> {
    try {
      await this.router.send(topic, body, to);
    } catch (error) {
      this.logger.warn(`${topic} reached this instance only: ${errorText(error)}`);
    }
  }
}

class ReplicaRegistry extends IdleConnectionRegistry<SharedPollingChannel> {
  get(channelId: string): SharedPollingChannel | undefined {
    return this.find(channelId);
  }
}

function notFound(res: ServerResponse): void {
  writeError(res, 'channel-not-found', 'Polling channel not found: open a new one');
}

function unavailable(res: ServerResponse, error: unknown): void {
  writeError(res, 'at-capacity', errorText(error), null, undefined, RETRY_AFTER);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
