import type { LegacySession } from './legacy-session.js';

/**
 * The live 2025-era sessions of this instance: lookup by `Mcp-Session-Id`, the capacity
 * bound, and the idle timeout (one sweep timer for all sessions, not one timer each).
 */
export class SessionRegistry {
  private readonly sessions = new Map<string, LegacySession>();
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly maxSessions: number,
    private readonly idleTimeoutMs: number,
    private readonly end: (session: LegacySession) => void,
  ) {}

  get size(): number {
    return this.sessions.size;
  }

  get atCapacity(): boolean {
    return this.sessions.size >= this.maxSessions;
  }

  get(id: string): LegacySession | undefined {
    return this.sessions.get(id);
  }

  add(session: LegacySession): void {
    this.sessions.set(session.sessionId, session);
    this.sweeper ??= this.startSweeper();
  }

  remove(session: LegacySession): void {
    if (this.sessions.get(session.sessionId) === session) this.sessions.delete(session.sessionId);
    if (this.sessions.size === 0 && this.sweeper !== undefined) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  }

  all(): LegacySession[] {
    return [...this.sessions.values()];
  }

  private startSweeper(): NodeJS.Timeout {
    const period = Math.max(10, Math.min(this.idleTimeoutMs / 2, 60_000));
    const timer = setInterval(() => this.sweep(), period);
    timer.unref();
    return timer;
  }

  private sweep(): void {
    const deadline = Date.now() - this.idleTimeoutMs;
    for (const session of this.sessions.values()) {
      if (session.idle && session.lastActivity < deadline) this.end(session);
    }
  }
}
