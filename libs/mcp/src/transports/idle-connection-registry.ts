/** What the registry reads of an entry to decide that it went idle. */
export interface IdleTrackedEntry {
  /** `Date.now()` of the entry's last sign of its client. */
  readonly lastActivity: number;
}

export interface IdleConnectionRegistryOptions<T> {
  /** Entries held before `atCapacity` says no more. */
  readonly capacity: number;
  /** An entry with no activity for this long is handed to `onIdle`; 0 disables the sweep. */
  readonly idleTimeoutMs: number;
  /** How often idle entries are looked for: the granularity of the idle timeout. */
  readonly sweepPeriodMs: number;
  readonly keyOf: (entry: T) => string;
  /** False while the client is visibly there (a request in flight, a poll parked). */
  readonly mayIdle: (entry: T) => boolean;
  readonly onIdle: (entry: T) => void;
}

/**
 * The live long-lived connections of one HTTP-based transport (2025 sessions, polling
 * channels): lookup by id, the capacity bound, and the idle timeout, with one sweep timer
 * for every entry rather than one each, running only while there are entries. Subclasses
 * add the lookup their transport allows (`find` is the raw one).
 */
export class IdleConnectionRegistry<T extends IdleTrackedEntry> {
  private readonly entries = new Map<string, T>();
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly options: IdleConnectionRegistryOptions<T>) {}

  get size(): number {
    return this.entries.size;
  }

  get atCapacity(): boolean {
    return this.entries.size >= this.options.capacity;
  }

  add(entry: T): void {
    this.entries.set(this.options.keyOf(entry), entry);
    if (this.sweeper === undefined && this.options.idleTimeoutMs > 0) {
      this.sweeper = setInterval(() => this.sweep(), this.options.sweepPeriodMs);
      this.sweeper.unref();
    }
  }

  /** Forgets `entry` (not a newer one under the same id); the sweep stops with the last. */
  remove(entry: T): void {
    const key = this.options.keyOf(entry);
    if (this.entries.get(key) === entry) this.entries.delete(key);
    if (this.entries.size === 0) this.stop();
  }

  all(): T[] {
    return [...this.entries.values()];
  }

  stop(): void {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  protected find(key: string): T | undefined {
    return this.entries.get(key);
  }

  private sweep(): void {
    const deadline = Date.now() - this.options.idleTimeoutMs;
    for (const entry of this.entries.values()) {
      if (this.options.mayIdle(entry) && entry.lastActivity < deadline) this.options.onIdle(entry);
    }
  }
}
