/** setTimeout's ceiling (about 24.8 days); a later expiry is re-armed when it is reached. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Runs `onExpired` at `expiresAtMs` (ms since the epoch; at once when already past), for a
 * stream or socket whose authorization ends with its token. Returns the cancel function; an
 * `undefined` expiry arms nothing. The timer never keeps the process alive.
 */
export function whenExpired(expiresAtMs: number | undefined, onExpired: () => void): () => void {
  if (expiresAtMs === undefined) return noop;
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    const delay = expiresAtMs - Date.now();
    if (delay <= 0) {
      timer = undefined;
      onExpired();
      return;
    }
    timer = setTimeout(arm, Math.min(delay, MAX_TIMER_MS));
    timer.unref();
  };
  arm();
  return () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
}

function noop(): void {}
