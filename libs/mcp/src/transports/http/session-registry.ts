import { IdleConnectionRegistry } from '../idle-connection-registry.js';
import type { LegacySession } from './legacy-session.js';

/**
 * The live 2025-era sessions of this instance, by `Mcp-Session-Id`, with the `maxSessions`
 * bound and the idle timeout. A session with a request in flight is never idle.
 */
export class SessionRegistry extends IdleConnectionRegistry<LegacySession> {
  constructor(maxSessions: number, idleTimeoutMs: number, end: (session: LegacySession) => void) {
    super({
      capacity: maxSessions,
      idleTimeoutMs,
      sweepPeriodMs: Math.max(10, Math.min(idleTimeoutMs / 2, 60_000)),
      keyOf: (session) => session.sessionId,
      mayIdle: (session) => session.idle,
      onIdle: end,
    });
  }

  get(sessionId: string): LegacySession | undefined {
    return this.find(sessionId);
  }
}
