import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { SseStreamWatch } from '../transports/sse-stream-watch.js';
import type { CandidateFactory } from './transport-candidate.js';

/**
 * Streamable HTTP through the SDK's transport, with a fetch that watches its event streams:
 * the 2025 GET stream has to deliver its first event (the server's priming event) for SSE to
 * count as working (404 or 405, no GET stream, counts as POST only), and `Last-Event-ID`
 * resumptions the SDK does on its own are reported.
 */
export const streamableHttpCandidate: CandidateFactory = (context) => {
  const watch = new SseStreamWatch(context.fetch, context.legacyStreamProof ?? 'first-event');
  watch.onReconnect = context.onReconnect;
  const transport = new StreamableHTTPClientTransport(context.url, {
    fetch: watch.fetch,
    requestInit: { headers: context.headers },
    ...(context.authProvider !== undefined && { authProvider: context.authProvider }),
  });
  return {
    name: 'streamable-http',
    transport,
    proveLegacyStream: () => watch.standaloneStream(),
    legacyStreamUnprimed: () => watch.standaloneUnprimed,
    retryMs: () => watch.retryMs,
    finishAuth: (callback) => transport.finishAuth(callback),
  };
};
