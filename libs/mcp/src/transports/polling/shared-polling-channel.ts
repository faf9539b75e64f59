import type { ServerResponse } from 'node:http';
import type { RequestId } from '@modelcontextprotocol/server';
import { JsonRpcErrorCode } from '../../errors/wire-errors.js';
import type { McpConnection } from '../../protocol/mcp-connection.interface.js';
import type { McpSessionState } from '../../state/session-store.js';
import type {
  JSONRPCMessage,
  McpMessageExtra,
  McpTransport,
  McpTransportSendOptions,
} from '../transport.interface.js';
import { unserializableMessage } from '../unserializable-message.js';

/** What a replica needs from the fleet it belongs to (`PollingFleet`). */
export interface SharedChannelHost {
  /** Queues a message in the shared queue (in order: one after another per replica). */
  push(channel: SharedPollingChannel, json: string): Promise<void>;
  /** Saves the channel's 2025-era session state. */
  saveSession(channel: SharedPollingChannel, state: McpSessionState): Promise<void>;
  /** A message for this channel that belongs to another instance goes there (true: sent away). */
  forward(channel: SharedPollingChannel, message: JSONRPCMessage): boolean;
  /** Whether the instance that opened the channel still runs. */
  openerAlive(channel: SharedPollingChannel): Promise<boolean>;
}

/**
 * One instance's replica of a polling channel a fleet shares (see `PollingFleet`): a protocol
 * connection (restored from the store) whose outgoing messages go to the channel's queue in
 * the store rather than to a queue in memory, so that any instance answers the polls. The
 * polls parked on this instance are kept here.
 */
export class SharedPollingChannel implements McpTransport {
  onmessage?: McpTransport['onmessage'];
  onclose?: () => void;
  onerror?: (error: Error) => void;
  connection: McpConnection | undefined;
  lastActivity = Date.now();
  /** The revision of the stored session state this replica holds. */
  revision: number;
  closed = false;
  /** Polls parked on this instance, answered by `answer` with what they wait for. */
  readonly polls = new Set<ServerResponse>();
  private tail: Promise<void> = Promise.resolve();
  private saving: Promise<Error | undefined> | undefined;

  constructor(
    readonly channelId: string,
    /** The instance that opened the channel. */
    readonly opener: string,
    /** The key of the principal that opened the channel. */
    readonly principal: string | null,
    readonly pollTimeoutMs: number,
    revision: number,
    /**
     * Whether this replica sends the channel's unsolicited events: its instance opened the
     * channel (else it does only while it holds the client's poll and the opener is dead).
     */
    private readonly forwardsEvents: boolean,
    private readonly host: SharedChannelHost,
  ) {
    this.revision = revision;
  }

  /** A poll parked or a request running here: the channel is in use on this instance. */
  get busy(): boolean {
    return this.polls.size > 0 || (this.connection?.inFlight ?? 0) > 0;
  }

  async start(): Promise<void> {}

  send(message: JSONRPCMessage, options?: McpTransportSendOptions): Promise<void> {
    if (this.closed) return Promise.resolve();
    // Every replica hears the change bus; the opener's alone queues the events, so they come
    // once. When the opener died, the replica holding the client's poll takes over.
    const unsolicited = options?.relatedRequestId === undefined && !isAnswer(message);
    const standIn = unsolicited && !this.forwardsEvents;
    if (standIn && this.polls.size === 0) return Promise.resolve();
    let json: string;
    try {
      json = JSON.stringify(message);
    } catch (error) {
      const failure = unserializableMessage(message, error);
      this.onerror?.(failure.error);
      return failure.replacement === undefined ? Promise.resolve() : this.send(failure.replacement, options);
    }
    const saving = isAnswer(message) ? this.saving : undefined;
    if (saving !== undefined) this.saving = undefined;
    this.tail = this.tail
      .then(async () => {
        if (standIn && (await this.host.openerAlive(this))) return;
        const failed = saving === undefined ? undefined : await saving;
        await this.host.push(this, failed === undefined ? json : JSON.stringify(unsaved(message, failed)));
      })
      .catch((error: unknown) => this.onerror?.(error instanceof Error ? error : new Error(String(error))));
    return this.tail;
  }

  /** A message the client POSTed (to any instance). */
  receive(message: JSONRPCMessage, extra: McpMessageExtra | undefined): void {
    this.lastActivity = Date.now();
    if (this.host.forward(this, message)) return;
    this.onmessage?.(message, extra);
  }

  /** A message another instance sent here. */
  deliverHere(message: JSONRPCMessage): void {
    this.onmessage?.(message, undefined);
  }

  /** The protocol connection changed the channel's session: saved before the answer goes out. */
  saveState(state: McpSessionState): void {
    const previous = this.saving ?? Promise.resolve(undefined);
    this.saving = previous.then(() =>
      this.host.saveSession(this, state).then(
        () => undefined,
        (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
      ),
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.();
  }
}

function isAnswer(message: JSONRPCMessage): boolean {
  return !('method' in message) && 'id' in message;
}

/** An answer whose session change could not be saved becomes an error (see `LegacySession`). */
function unsaved(message: JSONRPCMessage, failed: Error): JSONRPCMessage {
  if (!('result' in message)) return message;
  return {
    jsonrpc: '2.0',
    id: message.id as RequestId,
    error: { code: JsonRpcErrorCode.Unavailable, message: failed.message },
  };
}
