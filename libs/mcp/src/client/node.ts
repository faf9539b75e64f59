// The Node entry (`nest-mcp/client/node`): the browser entry, plus the `ws` package as the
// WebSocket where the runtime has none (Node 20) or a socket must send headers.
import { nodeWebSocketFactory } from './transports/node-websocket.js';
import { setWebSocketFallback } from './transports/websocket-implementation.js';

setWebSocketFallback(nodeWebSocketFactory);

export * from './index.js';
