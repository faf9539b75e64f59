/** How a request ended, as observers see it. */
export type McpRequestOutcome = 'ok' | 'error' | 'cancelled';

/**
 * An optional watcher of every request the protocol layer serves, on any transport (the
 * metrics service is one). Called once per request after its answer was handed to the
 * transport; it must be cheap and must not throw.
 */
export interface McpRequestObserver {
  requestFinished(transport: string, method: string, outcome: McpRequestOutcome, seconds: number): void;
}
