import { Inject, Injectable, Logger, type OnApplicationBootstrap, Optional } from '@nestjs/common';
import { MCP_SHARED_STATE } from '../mcp.constants.js';
import { McpRegistry } from '../registry/mcp-registry.service.js';
import type { FleetChange } from './fleet-change-log.js';
import type { McpSharedState } from './shared-state.interface.js';

/** Applies a change on this instance; synchronous, and idempotent (see `McpFleetChanges`). */
export type FleetChangeApplier<Args> = (args: Args) => void;

/**
 * Runtime registry changes on every instance of a fleet. The code of a change exists on every
 * instance (`define`, at start-up); applying it (`apply`, anywhere) is an event each instance
 * applies to its own registry, so `tools/list` and `tools/call` agree whichever instance a
 * request lands on. Each instance tells its own listeners (list-changed) once it applied the
 * change. An instance that starts later, or comes back after losing the shared state, applies
 * the changes it missed (the latest of each key, oldest first): appliers must be idempotent.
 * Without shared state (`state` option) a change is applied here only.
 *
 * ```ts
 * fleet.define<{ tag: string }>('tag-shortcut', ({ tag }) => {
 *   if (!registry.getTool(`notes_${tag}`)) registry.addTool({ name: `notes_${tag}` }, () => ...);
 * });
 * await fleet.apply('tag-shortcut', { tag: 'work' }, 'tool:notes_work');
 * ```
 */
@Injectable()
export class McpFleetChanges implements OnApplicationBootstrap {
  private readonly logger = new Logger('McpFleetChanges');
  private readonly appliers = new Map<string, FleetChangeApplier<never>>();

  constructor(
    private readonly registry: McpRegistry,
    @Optional() @Inject(MCP_SHARED_STATE) private readonly state?: McpSharedState | null,
  ) {}

  /** Declares the code of change `name`. Call it on every instance before the app starts. */
  define<Args>(name: string, apply: FleetChangeApplier<Args>): void {
    if (this.appliers.has(name)) throw new Error(`Fleet change "${name}" is already defined`);
    this.appliers.set(name, apply as FleetChangeApplier<never>);
  }

  /**
   * Applies change `name` with JSON `args` on every instance, this one first. `key` says what
   * it is about (default: `name`): a later change with the same key replaces it for instances
   * that start later. Rejects when `name` is not defined, when the applier throws here, or with
   * `McpStateUnavailableError` when the shared state is unreachable (then nothing was applied).
   */
  async apply<Args>(name: string, args: Args, key: string = name): Promise<void> {
    const applier = this.appliers.get(name);
    if (applier === undefined) throw new Error(`Fleet change "${name}" is not defined on this instance`);
    if (this.state && (await this.state.fleetLog.append({ name, key, args })) === undefined) return;
    this.registry.withLocalEvents(() => applier(args as never));
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.state) await this.state.fleetLog.open((change) => this.applyRemote(change));
  }

  private applyRemote(change: FleetChange): void {
    const applier = this.appliers.get(change.name);
    if (applier === undefined) {
      this.logger.warn(`Fleet change "${change.name}" (${change.key}) is not defined here; skipped`);
      return;
    }
    try {
      this.registry.withLocalEvents(() => applier(change.args as never));
    } catch (error) {
      this.logger.error(
        `Fleet change "${change.name}" (${change.key}) failed here`,
        error instanceof Error ? error.stack : String(error),
      );
    }
  }
}
