/**
 * A change every instance applies: the name of code every instance has (`McpFleetChanges.define`)
 * and its JSON arguments. Only the latest change of each `key` is kept, so an instance that
 * starts later replays one change per key, oldest first.
 */
export interface FleetChange {
  /** Order of the change across the fleet (assigned by the log). */
  readonly seq: number;
  readonly name: string;
  /** What the change is about (e.g. `tool:weather`); a later change of the same key replaces it. */
  readonly key: string;
  readonly args: unknown;
  /** The instance that applied it first. */
  readonly origin: string;
}

/**
 * Where fleet changes are recorded and announced (Redis in `nest-mcp/redis`). Implementations
 * reject with `McpStateUnavailableError` when they cannot record, so a change either reaches
 * the fleet or is refused, and never stays on one instance.
 */
export interface FleetChangeLog {
  /** This instance's id: changes it appended are not handed back to it. */
  readonly instanceId: string;
  /**
   * Records a change and tells the other instances. Resolves with the recorded change, or
   * undefined when a newer change of the same key reached this instance meanwhile (then this
   * one must not be applied here: every instance applies each key's changes in order).
   */
  append(change: Pick<FleetChange, 'name' | 'key' | 'args'>): Promise<FleetChange | undefined>;
  /**
   * Hands `listener` every recorded change (latest per key, oldest first), then, as they come,
   * the changes other instances append; after a lost connection comes back, what was missed.
   * Resolves once the recorded changes were handed over.
   */
  open(listener: (change: FleetChange) => void): Promise<void>;
}
