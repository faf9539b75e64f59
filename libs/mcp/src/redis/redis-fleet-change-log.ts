import type { Redis } from 'ioredis';
import type { FleetChange, FleetChangeLog } from '../state/fleet-change-log.js';
import { McpStateUnavailableError } from '../state/state-unavailable.error.js';

/**
 * Records a change and announces it in one atomic step, so the order of the sequence numbers
 * is the order in which instances hear of the changes: the latest change of each key in a
 * hash (what an instance starting later replays), the sequence in a counter, the
 * announcement on the fleet channel. The change is JSON made by the caller; the script only
 * puts the sequence number in front.
 */
const APPEND_SCRIPT = `
local seq = redis.call('INCR', KEYS[2])
local change = '{"seq":' .. seq .. ',' .. string.sub(ARGV[2], 2)
redis.call('HSET', KEYS[1], ARGV[1], change)
redis.call('PUBLISH', ARGV[3], change)
return change
`;

export interface RedisFleetKeys {
  /** Hash: key -> latest change. */
  readonly changes: string;
  /** Counter of sequence numbers. */
  readonly seq: string;
  /** Pub/sub channel of announcements. */
  readonly channel: string;
}

/**
 * Fleet changes in Redis. Each key's changes are applied in sequence order on every instance:
 * a change older than the one of the same key already applied here is skipped, so two
 * instances changing one key at once end up alike everywhere.
 */
export class RedisFleetChangeLog implements FleetChangeLog {
  /** Per key, the sequence number of the change applied here. */
  private readonly applied = new Map<string, number>();
  private listener: ((change: FleetChange) => void) | undefined;
  /** Announcements heard before `open` handed over the recorded changes. */
  private pending: FleetChange[] | undefined = [];

  constructor(
    /** The command connection; undefined until connected. */
    private readonly connection: () => Redis | undefined,
    private readonly keys: RedisFleetKeys,
    readonly instanceId: string,
  ) {}

  async append(change: Pick<FleetChange, 'name' | 'key' | 'args'>): Promise<FleetChange | undefined> {
    const redis = this.connection();
    if (redis?.status !== 'ready') {
      throw new McpStateUnavailableError(
        `Redis is ${redis?.status ?? 'not connected'}; the fleet change was not applied`,
      );
    }
    const body = JSON.stringify({
      name: change.name,
      key: change.key,
      args: change.args,
      origin: this.instanceId,
    });
    let recorded: string;
    try {
      recorded = (await redis.eval(
        APPEND_SCRIPT,
        2,
        this.keys.changes,
        this.keys.seq,
        change.key,
        body,
        this.keys.channel,
      )) as string;
    } catch (error) {
      throw new McpStateUnavailableError('the fleet change could not be recorded; it was not applied', error);
    }
    const parsed = JSON.parse(recorded) as FleetChange;
    // A newer change of the same key, from another instance, may have been applied meanwhile.
    if ((this.applied.get(parsed.key) ?? 0) > parsed.seq) return undefined;
    this.applied.set(parsed.key, parsed.seq);
    return parsed;
  }

  async open(listener: (change: FleetChange) => void): Promise<void> {
    this.listener = listener;
    await this.catchUp();
    const heard = this.pending ?? [];
    this.pending = undefined;
    for (const change of heard) this.deliver(change);
  }

  /** An announcement from the channel. */
  receive(raw: string): void {
    const change = parseChange(raw);
    if (change === undefined) return;
    if (this.pending !== undefined) this.pending.push(change);
    else this.deliver(change);
  }

  /** Applies what is recorded and was not applied here (start-up, and after an outage). */
  async catchUp(): Promise<void> {
    const redis = this.connection();
    if (redis === undefined) return;
    const recorded = await redis.hgetall(this.keys.changes);
    const changes = Object.values(recorded)
      .map(parseChange)
      .filter((change): change is FleetChange => change !== undefined)
      .toSorted((a, b) => a.seq - b.seq);
    for (const change of changes) this.deliver(change, true);
  }

  private deliver(change: FleetChange, replay = false): void {
    // Before `open`, `catchUp` has nothing to hand changes to; `open` reads them again.
    if (this.listener === undefined) return;
    if ((this.applied.get(change.key) ?? 0) >= change.seq) return;
    this.applied.set(change.key, change.seq);
    // Our own announcements were applied when appended; a replay after a restart is not ours.
    if (!replay && change.origin === this.instanceId) return;
    this.listener(change);
  }
}

function parseChange(raw: string): FleetChange | undefined {
  try {
    const change = JSON.parse(raw) as FleetChange;
    return typeof change?.seq === 'number' &&
      typeof change.name === 'string' &&
      typeof change.key === 'string'
      ? change
      : undefined;
  } catch {
    return undefined;
  }
}
