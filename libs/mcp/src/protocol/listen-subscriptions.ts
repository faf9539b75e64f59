import {
  type RequestId,
  SERVER_INFO_META_KEY,
  type ServerCapabilities,
  type ServerEvent,
  SUBSCRIPTION_ID_META_KEY,
  type SubscriptionFilter,
} from '@modelcontextprotocol/server';
import { McpWireError } from '../errors/wire-errors.js';
import type { ProtocolConnection } from './protocol-connection.js';
import { isPlainObject } from './request-envelope.js';

/** Open listens per connection before a new one is refused (the SDK's default). */
const MAX_SUBSCRIPTIONS = 1024;

/**
 * Task status notifications of one listen (tasks extension): the tasks acknowledged and how to
 * hear their states, now and on each change (`notifications/tasks` params; returns unwatch).
 */
export interface ListenTaskWatch {
  readonly taskIds: readonly string[];
  watch(deliver: (task: Record<string, unknown>) => void): () => void;
}

interface OpenListen {
  readonly filter: SubscriptionFilter;
  readonly unsubscribe: () => void;
  readonly detachSignal: (() => void) | undefined;
}

/**
 * The open `subscriptions/listen` requests of one connection (2026 era). Each listen is
 * acknowledged first, then receives the change events its filter asked for (and the
 * server can deliver), every notification stamped with the listen's id. It stays open
 * until the client cancels it or the connection closes; a server shutdown ends it
 * gracefully with the empty listen result.
 */
export class ListenSubscriptions {
  private readonly open = new Map<RequestId, OpenListen>();

  constructor(private readonly connection: ProtocolConnection) {}

  /** Serves one listen request: validates, acknowledges, then starts delivery. */
  async listen(
    id: RequestId,
    params: Record<string, unknown>,
    signal: AbortSignal | undefined,
    tasks?: ListenTaskWatch,
  ): Promise<void> {
    const requested = readFilter(params['notifications']);
    if (this.open.size >= MAX_SUBSCRIPTIONS) {
      throw new McpWireError('subscription-limit', 'Subscription limit reached');
    }
    const engine = this.connection.engine;
    const honored = honoredSubset(requested, engine.capabilities.get());
    await this.connection.notify(
      'notifications/subscriptions/acknowledged',
      {
        notifications: tasks === undefined ? honored : { ...honored, taskIds: [...tasks.taskIds] },
        _meta: { [SUBSCRIPTION_ID_META_KEY]: id },
      },
      id,
    );
    if (Object.keys(honored).length === 0 && tasks === undefined) {
      // Nothing can ever be delivered: end the subscription instead of holding it open.
      await this.sendClosingResult(id);
      return;
    }
    const unsubscribeBus = engine.bus.subscribe((event) => {
      if (!accepts(honored, event)) return;
      const { method, params: eventParams } = toNotification(event);
      void this.connection.notify(
        method,
        { ...eventParams, _meta: { ...metaOf(eventParams), [SUBSCRIPTION_ID_META_KEY]: id } },
        id,
      );
    });
    const notifyTask = (task: Record<string, unknown>) =>
      void this.connection.notify(
        'notifications/tasks',
        { ...task, _meta: { [SUBSCRIPTION_ID_META_KEY]: id } },
        id,
      );
    const unwatchTasks = tasks?.watch(notifyTask);
    const unsubscribe = () => {
      unsubscribeBus();
      unwatchTasks?.();
    };
    let detachSignal: (() => void) | undefined;
    if (signal !== undefined) {
      const onAbort = () => this.cancel(id);
      signal.addEventListener('abort', onAbort, { once: true });
      detachSignal = () => signal.removeEventListener('abort', onAbort);
    }
    this.open.set(id, { filter: honored, unsubscribe, detachSignal });
  }

  /** Whether `id` names an open listen on this connection. */
  has(id: RequestId): boolean {
    return this.open.has(id);
  }

  /** Ends one listen without an answer (client cancelled). False when `id` is not a listen. */
  cancel(id: RequestId): boolean {
    const listen = this.open.get(id);
    if (listen === undefined) return false;
    this.open.delete(id);
    listen.unsubscribe();
    listen.detachSignal?.();
    return true;
  }

  /** Ends every listen; `graceful` sends each the empty listen result first (server shutdown). */
  async closeAll(graceful: boolean): Promise<void> {
    const ids = [...this.open.keys()];
    for (const id of ids) {
      this.cancel(id);
      if (graceful) await this.sendClosingResult(id);
    }
  }

  get size(): number {
    return this.open.size;
  }

  private sendClosingResult(id: RequestId): Promise<void> {
    return this.connection.sendMessage(
      {
        jsonrpc: '2.0',
        id,
        result: {
          resultType: 'complete',
          _meta: {
            [SUBSCRIPTION_ID_META_KEY]: id,
            [SERVER_INFO_META_KEY]: this.connection.engine.serverInfo,
          },
        },
      },
      id,
    );
  }
}

function readFilter(value: unknown): SubscriptionFilter {
  const valid =
    isPlainObject(value) &&
    ['toolsListChanged', 'promptsListChanged', 'resourcesListChanged'].every(
      (key) => value[key] === undefined || typeof value[key] === 'boolean',
    ) &&
    (value['resourceSubscriptions'] === undefined ||
      (Array.isArray(value['resourceSubscriptions']) &&
        value['resourceSubscriptions'].every((uri) => typeof uri === 'string')));
  if (!valid) {
    throw new McpWireError(
      'invalid-params',
      "Invalid params: 'notifications' is required and must be a valid SubscriptionFilter",
    );
  }
  return value as SubscriptionFilter;
}

/** What was asked for and can be delivered: list-changed bits need `listChanged`, URIs need `subscribe`. */
function honoredSubset(requested: SubscriptionFilter, capabilities: ServerCapabilities): SubscriptionFilter {
  const honored: SubscriptionFilter = {};
  if (requested.toolsListChanged === true && capabilities.tools?.listChanged === true)
    honored.toolsListChanged = true;
  if (requested.promptsListChanged === true && capabilities.prompts?.listChanged === true)
    honored.promptsListChanged = true;
  if (requested.resourcesListChanged === true && capabilities.resources?.listChanged === true) {
    honored.resourcesListChanged = true;
  }
  if (requested.resourceSubscriptions?.length && capabilities.resources?.subscribe === true) {
    honored.resourceSubscriptions = [...requested.resourceSubscriptions];
  }
  return honored;
}

function accepts(filter: SubscriptionFilter, event: ServerEvent): boolean {
  switch (event.kind) {
    case 'tools_list_changed':
      return filter.toolsListChanged === true;
    case 'prompts_list_changed':
      return filter.promptsListChanged === true;
    case 'resources_list_changed':
      return filter.resourcesListChanged === true;
    case 'resource_updated':
      return filter.resourceSubscriptions?.includes(event.uri) === true;
  }
}

function toNotification(event: ServerEvent): { method: string; params: Record<string, unknown> | undefined } {
  switch (event.kind) {
    case 'tools_list_changed':
      return { method: 'notifications/tools/list_changed', params: event.params };
    case 'prompts_list_changed':
      return { method: 'notifications/prompts/list_changed', params: event.params };
    case 'resources_list_changed':
      return { method: 'notifications/resources/list_changed', params: event.params };
    case 'resource_updated':
      return { method: 'notifications/resources/updated', params: { ...event.params, uri: event.uri } };
  }
}

function metaOf(params: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const meta = params?.['_meta'];
  return isPlainObject(meta) ? meta : undefined;
}
