// Memory per idle WebSocket and per initialized session, measured from outside: starts the
// example app as its own process, opens N sockets to it from this one, and reads the server's
// RSS (/proc/<pid>/status) before, with N idle sockets, and with N 2025-11-25 sessions.
// Usage: node bench/ws-memory.mjs [sockets=2000]   (after `npm run build`; not part of npm test)
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { WebSocket } from 'ws';

const sockets = Number(process.argv[2] ?? 2000);
const port = await new Promise((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port: free } = probe.address();
    probe.close(() => resolve(free));
  });
});
const server = spawn(process.execPath, ['dist/src/main.js'], {
  env: {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    MCP_WS_MAX_CONNECTIONS: String(sockets + 10),
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
await new Promise((resolve) =>
  server.stdout.on('data', (chunk) => chunk.toString().includes('listening on') && resolve()),
);

const rssKiB = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))[1]);
const settle = () => new Promise((resolve) => setTimeout(resolve, 3000));
const url = `ws://127.0.0.1:${port}/mcp`;

await warmUp();
await settle();
const baseline = rssKiB();

const clients = [];
for (let i = 0; i < sockets; i += 100) {
  const batch = Array.from({ length: Math.min(100, sockets - i) }, () => open());
  clients.push(...(await Promise.all(batch)));
}
await settle();
const idle = rssKiB();

for (let i = 0; i < clients.length; i += 100) {
  await Promise.all(clients.slice(i, i + 100).map((ws) => initialize(ws)));
}
await settle();
const sessions = rssKiB();

const perIdle = (idle - baseline) / sockets;
const perSession = (sessions - baseline) / sockets;
process.stdout.write(
  JSON.stringify(
    {
      sockets,
      rssKiB: { baseline, idle, sessions },
      kibPerIdleSocket: Number(perIdle.toFixed(2)),
      kibPerInitializedSession: Number(perSession.toFixed(2)),
    },
    null,
    2,
  ) + '\n',
);
for (const ws of clients) ws.terminate();
server.kill();

function open() {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, 'mcp');
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function initialize(ws) {
  return new Promise((resolve) => {
    ws.once('message', () => {
      ws.send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
      resolve();
    });
    ws.send(
      JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-11-25',
          capabilities: {},
          clientInfo: { name: 'bench', version: '1' },
        },
      }),
    );
  });
}

/** One full round first, so code paths and caches are warm before the baseline. */
async function warmUp() {
  const ws = await open();
  await initialize(ws);
  ws.close();
}
