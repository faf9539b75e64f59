import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { echoAnswer } from '../shared/messages.js';
import { announce, benchProcessHooks } from '../shared/server-ready.js';

/** The WebSocket ceiling: `ws` parsing each text frame and answering the same JSON. */
benchProcessHooks();
const server = createServer();
const wss = new WebSocketServer({
  server,
  handleProtocols: (protocols) => (protocols.has('mcp') ? 'mcp' : false),
});
wss.on('connection', (socket) => {
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { id?: unknown; method?: string };
    if (message.id === undefined) return;
    socket.send(JSON.stringify(echoAnswer(message.id)));
  });
});
server.listen(0, '127.0.0.1', () => announce(server));
