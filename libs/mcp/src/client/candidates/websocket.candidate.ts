import { WebSocketClientTransport } from '../transports/websocket-client.transport.js';
import type { CandidateFactory } from './transport-candidate.js';

/** WebSocket on the same URL (`ws:`/`wss:`), subprotocol `mcp`. */
export const websocketCandidate: CandidateFactory = (context) => ({
  name: 'websocket',
  transport: new WebSocketClientTransport(context.url, {
    headers: context.headers,
    webSocketFactory: context.webSocketFactory,
  }),
  retryMs: () => undefined,
});
