import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/server';
import type { Logger } from '@nestjs/common';
import { JsonRpcErrorCode } from '../../errors/wire-errors.js';
import { cancelledRequestId } from '../../protocol/json-rpc-messages.js';
import type { McpSessionState, McpStoredSession } from '../../state/session-store.js';
import type { McpSharedState } from '../../state/shared-state.interface.js';
import type { LegacySession } from './legacy-session.js';
import type { SseWriter } from './sse-writer.js';
import { followStream } from './stream-follower.js';

/** Router topics. */
const DELIVER = 'session:deliver';
const ENDED = 'session:ended';
const CHANGED = 'session:changed';
const GET_TAKEN = 'session:get-taken';

/** How often a follower asks whether the instance writing a stream still runs. */
const OWNER_CHECK_MS = 1_000;

export type SharedSessions = NonNullable<McpSharedState['sessions']>;

export interface SessionFleetHost {
  /** This instance's replica of a session, if it has one. */
  find(sessionId: string): LegacySession | undefined;
  /** Ends this instance's replica (the session itself lives on, or ended elsewhere). */
  drop(session: LegacySession): void;
  /** Every replica of this instance (for the heartbeat). */
  all(): LegacySession[];
}

/**
 * What makes a 2025-era session servable by every instance of a fleet (the `state` option's
 * `sessions`): the session lives in the session store and each instance serving it holds a
 * replica (a protocol connection restored from the stored state). The replica running a
 * request answers it on the POST that brought it; what lands on the wrong instance is sent
 * to the right one:
 *
 * - a client's answer to a server request (elicitation, sampling, roots): to the instance
 *   named in the request's id (`<instance>.<n>`);
 * - `notifications/cancelled`: to every instance (the one running the request cancels it);
 * - `DELETE`: the session is deleted from the store and every replica ends;
 * - a change of log level or subscriptions: saved, and every replica reloads it;
 * - the session's GET stream: the instance holding it forwards list-changed and
 *   resource-updated events (so they are sent once), and tells the others when it took it.
 *
 * SSE events are in the shared event store, so a stream resumes on any instance; one whose
 * writer is elsewhere is followed there (`followStream`), and ends with an error when the
 * writing instance dies first.
 */
export class SessionFleet {
  readonly instanceId: string;
  private heartbeat: NodeJS.Timeout | undefined;
  private lastBeat = Date.now();

  constructor(
    readonly shared: SharedSessions,
    private readonly limits: { readonly maxSessions: number; readonly idleTimeoutMs: number },
    private readonly host: SessionFleetHost,
    private readonly logger: Logger,
  ) {
    this.instanceId = shared.router.instanceId;
    const { router } = shared;
    router.on(DELIVER, (body) => {
      const { s, m } = body as { s: string; m: JSONRPCMessage };
      this.host.find(s)?.deliverHere(m);
    });
    router.on(ENDED, (body) => {
      const session = this.host.find((body as { s: string }).s);
      if (session !== undefined) this.host.drop(session);
    });
    router.on(CHANGED, (body) => {
      const session = this.host.find((body as { s: string }).s);
      if (session !== undefined) void this.refresh(session);
    });
    router.on(GET_TAKEN, (body) => this.host.find((body as { s: string }).s)?.releaseGet());
    const period = Math.max(10, Math.min(limits.idleTimeoutMs / 3, 30_000));
    this.heartbeat = setInterval(() => void this.beat(), period);
    this.heartbeat.unref();
  }

  reserve(sessionId: string): Promise<boolean> {
    return this.shared.store.reserve(sessionId, this.limits);
  }

  /** Saves a session's new state, then has the other replicas reload it. */
  async save(sessionId: string, state: McpSessionState, announce: boolean): Promise<void> {
    await this.shared.store.save(sessionId, state, this.limits.idleTimeoutMs);
    if (announce) await this.announce(CHANGED, { s: sessionId });
  }

  touch(sessionId: string, knownRevision: number | undefined): Promise<McpStoredSession | undefined> {
    return this.shared.store.touch(sessionId, this.limits.idleTimeoutMs, knownRevision);
  }

  /** `DELETE`: the session ends for every instance. */
  async end(sessionId: string): Promise<void> {
    await this.shared.store.delete(sessionId);
    await this.announce(ENDED, { s: sessionId });
  }

  /** This instance now holds the session's GET stream: the others stop forwarding events to it. */
  tookGet(sessionId: string): void {
    void this.announce(GET_TAKEN, { s: sessionId });
  }

  /**
   * A message for `session` that belongs to another instance goes there. True when it was
   * sent away (it is not for this instance), false when this instance handles it (too).
   */
  forward(session: LegacySession, message: JSONRPCMessage): boolean {
    const answered = answeredRequestId(message);
    if (answered !== undefined) {
      const owner = ownerOfRequestId(answered);
      if (owner === undefined || owner === this.instanceId) return false;
      void this.announce(DELIVER, { s: session.sessionId, m: message }, owner);
      return true;
    }
    const cancelled = cancelledRequestId(message);
    if (cancelled !== undefined && !session.isAnswering(cancelled)) {
      // Which instance runs it is not known here: every one is told, the one running it cancels.
      void this.announce(DELIVER, { s: session.sessionId, m: message });
    }
    return false;
  }

  /** The id of a POST's stream: the writing instance and the request are readable from it. */
  streamIdFor(session: LegacySession, serial: number, requestId: RequestId): string {
    const request = Buffer.from(JSON.stringify(requestId)).toString('base64url');
    return `${session.sessionId}/${this.instanceId}.${serial}.${request}`;
  }

  /**
   * A `Last-Event-ID` resumption of a stream this instance does not hold. Resolves false when
   * the stream is this instance's own (already finished): then a plain replay serves it.
   */
  async resume(
    session: LegacySession,
    streamId: string,
    lastEventId: string,
    writer: SseWriter,
  ): Promise<boolean> {
    const parsed = parseStreamId(streamId.slice(session.sessionId.length + 1));
    if (parsed === undefined || parsed.owner === this.instanceId) return false;
    session.follow(writer);
    const { router, events } = this.shared;
    await followStream({
      store: events,
      streamId,
      lastEventId,
      writer,
      ownerAlive: () => router.isAlive(parsed.owner),
      ownerCheckMs: OWNER_CHECK_MS,
      orphanAnswer: {
        jsonrpc: '2.0',
        id: parsed.requestId,
        error: {
          code: JsonRpcErrorCode.InternalError,
          message:
            'The server instance running this request stopped before answering it; the request may or may not have taken effect',
        },
      },
    });
    return true;
  }

  stop(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  /** Reloads a replica's log level and subscriptions after another instance changed them. */
  private async refresh(session: LegacySession): Promise<void> {
    try {
      const stored = await this.touch(session.sessionId, undefined);
      if (stored?.state !== undefined) session.restore(stored);
    } catch (error) {
      this.warn(`Session ${session.sessionId} could not be reloaded`, error);
    }
  }

  /** Keeps the sessions busy or served here alive in the store (their expiry and the session count). */
  private async beat(): Promise<void> {
    const since = this.lastBeat;
    this.lastBeat = Date.now();
    const served = this.host
      .all()
      .filter((session) => !session.idle || session.lastActivity >= since)
      .map((session) => ({
        sessionId: session.sessionId,
        busy: !session.idle,
        lastActivity: session.lastActivity,
      }));
    try {
      await this.shared.store.keepAlive(served, this.limits.idleTimeoutMs);
    } catch (error) {
      this.warn('Sessions could not be kept alive', error);
    }
  }

  private async announce(topic: string, body: unknown, to?: string): Promise<void> {
    try {
      await this.shared.router.send(topic, body, to);
    } catch (error) {
      this.warn(`${topic} reached this instance only`, error);
    }
  }

  private warn(what: string, error: unknown): void {
    this.logger.warn(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The id a client's response answers (responses have no method). */
function answeredRequestId(message: JSONRPCMessage): RequestId | undefined {
  if ('method' in message || !('id' in message)) return undefined;
  return message.id as RequestId;
}

/** The instance that sent server request `id` (`<instance>.<n>`). */
function ownerOfRequestId(id: RequestId): string | undefined {
  if (typeof id !== 'string') return undefined;
  const dot = id.indexOf('.');
  return dot > 0 ? id.slice(0, dot) : undefined;
}

/** `<instance>.<serial>.<request id as base64url JSON>`. */
function parseStreamId(suffix: string): { owner: string; requestId: RequestId } | undefined {
  const [owner, serial, request] = suffix.split('.');
  if (owner === undefined || serial === undefined || request === undefined) return undefined;
  try {
    const requestId = JSON.parse(Buffer.from(request, 'base64url').toString()) as unknown;
    return typeof requestId === 'string' || typeof requestId === 'number' ? { owner, requestId } : undefined;
  } catch {
    return undefined;
  }
}
