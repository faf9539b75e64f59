import type { McpChangeBus } from './change-bus.js';
import type { FleetChangeLog } from './fleet-change-log.js';
import type { McpTaskStore } from '../tasks/task-store.interface.js';
import type { McpChannelStore } from './channel-store.js';
import type { McpInstanceRouter } from './instance-router.js';
import type { McpSessionStore } from './session-store.js';
import type { McpSharedEventStore } from './shared-event-store.js';

/** What a shared-state backend reports to `McpHealthIndicator`. */
export interface McpSharedStateHealth {
  readonly up: boolean;
  /** Shown under the backend's name in the health details (never credentials). */
  readonly details: Record<string, unknown>;
}

/**
 * State shared by several instances of one server, so a load balancer may send any request
 * to any of them (see the README's "Running several instances"). `nest-mcp/redis`'s
 * `redisState()` is one; pass it as `state` in the module options. The module connects it
 * before the app listens (a failure fails start-up) and closes it on shutdown.
 */
export interface McpSharedState {
  /** Its name in logs and health details (e.g. `redis`). */
  readonly name: string;
  /** Carries list-changed and resource-updated events to every instance. */
  readonly changeBus: McpChangeBus;
  /** Carries runtime registry changes to every instance (`McpFleetChanges`). */
  readonly fleetLog: FleetChangeLog;
  /** Tasks of the tasks extension, readable by every instance; absent: tasks stay in memory. */
  readonly tasks?: McpTaskStore;
  /**
   * 2025-era sessions served by any instance: where sessions live, where their SSE events
   * are kept, and how a message reaches the instance it belongs to. All three or none;
   * without them each instance keeps its own sessions in memory.
   */
  readonly sessions?: {
    readonly store: McpSessionStore;
    readonly events: McpSharedEventStore;
    readonly router: McpInstanceRouter;
    /** Polling channels (`Mcp-Transport: polling`) served by any instance, with the same router. */
    readonly channels?: McpChannelStore;
  };
  /** Connects; rejects with an error saying what is unreachable and what to set. */
  connect(): Promise<void>;
  health(): McpSharedStateHealth;
  close(): Promise<void>;
}
