import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import { NodeStreamableHTTPServerTransport, toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { ECHO_TEXT } from '../shared/messages.js';
import { announce, benchProcessHooks } from '../shared/server-ready.js';

/**
 * The official SDK v2, wired the fastest correct way on plain node:http (no framework):
 *   BENCH_MODE=modern  `createMcpHandler` (2026-07-28, stateless; the SDK builds a server
 *                      per request, as its contract requires) behind `toNodeHandler`;
 *   BENCH_MODE=session the 2025-11-25 sessionful idiom: one McpServer and one
 *                      NodeStreamableHTTPServerTransport per session, JSON responses.
 * The tool's schema is built once; only what the SDK insists on is per request.
 */
const inputSchema = z.object({ text: z.string() });
function buildServer(): McpServer {
  const server = new McpServer({ name: 'sdk-v2-bench', version: '1.0.0' });
  server.registerTool('echo', { description: 'Echoes text', inputSchema }, ({ text }) => ({
    content: [{ type: 'text', text }],
  }));
  return server;
}
void ECHO_TEXT;

benchProcessHooks();
const mode = process.env['BENCH_MODE'] ?? 'modern';
let listener: (req: IncomingMessage, res: import('node:http').ServerResponse) => void;
if (mode === 'modern') {
  const handler = createMcpHandler(() => buildServer(), { legacy: 'reject', responseMode: 'auto' });
  const node = toNodeHandler(handler);
  listener = (req, res) => void node(req, res);
} else {
  const sessions = new Map<string, NodeStreamableHTTPServerTransport>();
  listener = (req, res) => {
    const id = req.headers['mcp-session-id'];
    const existing = typeof id === 'string' ? sessions.get(id) : undefined;
    if (existing !== undefined) {
      void existing.handleRequest(req, res);
      return;
    }
    const transport = new NodeStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      enableJsonResponse: true,
      onsessioninitialized: (sessionId) => void sessions.set(sessionId, transport),
    });
    transport.onclose = () => {
      if (transport.sessionId !== undefined) sessions.delete(transport.sessionId);
    };
    void buildServer()
      .connect(transport)
      .then(() => transport.handleRequest(req, res));
  };
}
const server = createServer(listener);
server.listen(0, '127.0.0.1', () => announce(server));
