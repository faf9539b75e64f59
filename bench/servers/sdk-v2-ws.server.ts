import { createServer } from 'node:http';
import { type JSONRPCMessage, McpServer, type Transport } from '@modelcontextprotocol/server';
import { type WebSocket, WebSocketServer } from 'ws';
import * as z from 'zod';
import { announce, benchProcessHooks } from '../shared/server-ready.js';

/**
 * The SDK v2 server over `ws` the obvious way (the SDK ships no WebSocket server
 * transport): one McpServer connected per socket through a minimal `Transport`; the
 * client speaks the 2025-11-25 handshake, then `tools/call`.
 */
class SocketTransport implements Transport {
  onmessage?: Transport['onmessage'];
  onclose?: () => void;
  onerror?: (error: Error) => void;
  constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => this.onmessage?.(JSON.parse(String(data)) as JSONRPCMessage));
    socket.on('close', () => this.onclose?.());
  }
  async start(): Promise<void> {}
  async send(message: JSONRPCMessage): Promise<void> {
    this.socket.send(JSON.stringify(message));
  }
  async close(): Promise<void> {
    this.socket.close();
  }
}

const inputSchema = z.object({ text: z.string() });
benchProcessHooks();
const server = createServer();
const wss = new WebSocketServer({
  server,
  handleProtocols: (protocols) => (protocols.has('mcp') ? 'mcp' : false),
});
wss.on('connection', (socket) => {
  const mcp = new McpServer({ name: 'sdk-v2-ws-bench', version: '1.0.0' });
  mcp.registerTool('echo', { description: 'Echoes text', inputSchema }, ({ text }) => ({
    content: [{ type: 'text', text }],
  }));
  void mcp.connect(new SocketTransport(socket));
});
server.listen(0, '127.0.0.1', () => announce(server));
