import { PollingClientTransport } from '../transports/polling-client.transport.js';
import type { CandidateFactory } from './transport-candidate.js';

/**
 * The polling transport extension on the same URL: complete, bounded JSON answers only, so it
 * survives proxies that break every kind of streaming. It retries failed polls on its own,
 * resuming from its cursor; those retries are reported as resumed reconnections.
 */
export const pollingCandidate: CandidateFactory = (context) => {
  let lastRetry: number | undefined;
  const transport = new PollingClientTransport(context.url, {
    fetch: context.fetch as typeof fetch,
    headers: context.headers,
    pollTimeoutMs: context.pollTimeoutMs,
    onReconnect: (event) => {
      lastRetry = event.delayMs;
      context.onReconnect(
        `poll ${event.attempt} failed (${event.error.message}); retrying from event ${event.cursor} in ${event.delayMs} ms`,
        true,
      );
    },
  });
  return { name: 'polling', transport, retryMs: () => lastRetry };
};
