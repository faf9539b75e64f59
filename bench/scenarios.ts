import { join } from 'node:path';
import type { HttpLoad } from './load/http.load.js';
import type { StdioLoad } from './load/stdio.load.js';
import type { WsLoad } from './load/ws.load.js';
import {
  INITIALIZED,
  initializeRequest,
  legacyCall,
  legacyHeaders,
  MODERN_HEADERS,
  MODERN_META,
  modernCall,
} from './shared/messages.js';
import { createBenchAuth } from './shared/bench-auth.js';
import { BENCH_DIST, type ServerSpec } from './shared/processes.js';

export type Group = 'ceiling' | 'peer' | 'ours';

/**
 * One server/loader pair. Adding a transport to the comparison is one entry here: a server
 * (any script under `servers/`) and the load that speaks to it.
 */
export interface Scenario {
  readonly id: string;
  readonly label: string;
  readonly group: Group;
  readonly server: ServerSpec;
  readonly load: HttpLoad | WsLoad | StdioLoad;
}

// ---- loads ---------------------------------------------------------------------------------

const modernBody = (id: number) =>
  `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"echo","arguments":{"text":"hello"},"_meta":${JSON.stringify(MODERN_META)}}}`;
const legacyBody = (id: number) =>
  `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"echo","arguments":{"text":"hello"}}}`;

export const HTTP_2026: HttpLoad = { kind: 'http', headers: MODERN_HEADERS, body: modernBody };

/** The same calls with a verified bearer token (the server is then an OAuth protected resource). */
const benchAuth = await createBenchAuth();
const HTTP_2026_BEARER: HttpLoad = {
  ...HTTP_2026,
  headers: { ...MODERN_HEADERS, authorization: `Bearer ${benchAuth.token}` },
};

/** 2025-11-25: sessions opened with `initialize` + `notifications/initialized`, then calls in them. */
export const HTTP_2025_SESSION: HttpLoad = {
  kind: 'http',
  headers: legacyHeaders(),
  body: legacyBody,
  sessions: openSessions,
};

export async function openSession(url: string, id = 0): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: legacyHeaders(),
    body: JSON.stringify(initializeRequest(id)),
  });
  const sessionId = response.headers.get('mcp-session-id');
  await response.text();
  if (sessionId === null) throw new Error(`initialize gave no session (HTTP ${response.status})`);
  const ack = await fetch(url, {
    method: 'POST',
    headers: legacyHeaders(sessionId),
    body: JSON.stringify(INITIALIZED),
  });
  await ack.text();
  return sessionId;
}

export async function openSessions(url: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push(await openSession(url, i));
  return ids;
}

const WS_2026: WsLoad = {
  kind: 'ws',
  handshake: () => [],
  call: (id) => JSON.stringify(modernCall(id)),
};
const WS_2025: WsLoad = {
  kind: 'ws',
  handshake: (id) => [initializeRequest(id), INITIALIZED],
  call: (id) => JSON.stringify(legacyCall(id)),
};
/** The ceiling answers any frame; it needs no handshake. */
const WS_RAW: WsLoad = { kind: 'ws', handshake: () => [], call: (id) => JSON.stringify(legacyCall(id)) };

const STDIO_2026: StdioLoad = { kind: 'stdio', call: (id) => JSON.stringify(modernCall(id)) };

// ---- the comparison ----------------------------------------------------------------------------

const ours = (env: Record<string, string> = {}): ServerSpec => ({ script: 'ours-http', env });
const FASTIFY = { MCP_PLATFORM: 'fastify' };

export const MAIN_SCENARIOS: readonly Scenario[] = [
  {
    id: 'raw-http',
    label: 'raw node:http (same JSON)',
    group: 'ceiling',
    server: { script: 'raw-http' },
    load: HTTP_2026,
  },
  {
    id: 'nest-bare',
    label: 'bare Nest 12 + Express controller',
    group: 'ceiling',
    server: { script: 'nest-bare' },
    load: HTTP_2026,
  },
  {
    id: 'sdk-v2-2026',
    label: 'SDK v2 createMcpHandler, 2026',
    group: 'peer',
    server: { script: 'sdk-v2', env: { BENCH_MODE: 'modern' } },
    load: HTTP_2026,
  },
  {
    id: 'sdk-v2-2025-session',
    label: 'SDK v2 2025 session (JSON)',
    group: 'peer',
    server: { script: 'sdk-v2', env: { BENCH_MODE: 'session' } },
    load: HTTP_2025_SESSION,
  },
  {
    id: 'rekog-2026',
    label: '@rekog/mcp-nest 2.x, 2026',
    group: 'peer',
    server: { script: 'rekog' },
    load: HTTP_2026,
  },
  {
    id: 'ours-http-2026-json',
    label: 'nest-mcp HTTP 2026 (JSON)',
    group: 'ours',
    server: ours(),
    load: HTTP_2026,
  },
  {
    id: 'ours-http-2026-redis',
    label: 'nest-mcp HTTP 2026 (JSON), Redis state',
    group: 'ours',
    server: ours({ BENCH_REDIS_URL: process.env['BENCH_REDIS_URL'] ?? 'redis://127.0.0.1:6379' }),
    load: HTTP_2026,
  },
  {
    id: 'ours-http-2026-auth',
    label: 'nest-mcp HTTP 2026 (JSON), verified bearer token',
    group: 'ours',
    server: ours({ BENCH_AUTH_JWK: benchAuth.publicJwk }),
    load: HTTP_2026_BEARER,
  },
  {
    id: 'ours-http-2026-sse',
    label: 'nest-mcp HTTP 2026 (SSE)',
    group: 'ours',
    server: ours({ BENCH_RESPONSE_MODE: 'sse' }),
    load: HTTP_2026,
  },
  {
    id: 'ours-http-2025-session',
    label: 'nest-mcp HTTP 2025 session',
    group: 'ours',
    server: ours(),
    load: HTTP_2025_SESSION,
  },
  {
    id: 'ours-http-2025-session-redis',
    label: 'nest-mcp HTTP 2025 session, sessions on Redis',
    group: 'ours',
    server: ours({ BENCH_REDIS_URL: process.env['BENCH_REDIS_URL'] ?? 'redis://127.0.0.1:6379' }),
    load: HTTP_2025_SESSION,
  },
  {
    id: 'nest-bare-fastify',
    label: 'bare Nest 12 + Fastify controller',
    group: 'ceiling',
    server: { script: 'nest-bare', env: FASTIFY },
    load: HTTP_2026,
  },
  {
    id: 'ours-http-2026-json-fastify',
    label: 'nest-mcp HTTP 2026 (JSON) on Fastify',
    group: 'ours',
    server: ours(FASTIFY),
    load: HTTP_2026,
  },
  {
    id: 'ours-http-2025-session-fastify',
    label: 'nest-mcp HTTP 2025 session on Fastify',
    group: 'ours',
    server: ours(FASTIFY),
    load: HTTP_2025_SESSION,
  },
  { id: 'raw-ws', label: 'raw ws (same JSON)', group: 'ceiling', server: { script: 'raw-ws' }, load: WS_RAW },
  {
    id: 'sdk-v2-ws',
    label: 'SDK v2 over ws, server per socket',
    group: 'peer',
    server: { script: 'sdk-v2-ws' },
    load: WS_2025,
  },
  // WebSocket on the MCP route of the same app: skipped (reported) until the transport accepts the upgrade.
  { id: 'ours-ws-2026', label: 'nest-mcp WebSocket 2026', group: 'ours', server: ours(), load: WS_2026 },
  { id: 'ours-ws-2025', label: 'nest-mcp WebSocket 2025', group: 'ours', server: ours(), load: WS_2025 },
  {
    id: 'ours-stdio-2026',
    label: 'nest-mcp stdio 2026 (pipelined)',
    group: 'ours',
    server: { script: 'ours-stdio' },
    load: STDIO_2026,
  },
];

/** The stdio server is the loader's child: its command line. */
export function stdioCommand(spec: ServerSpec): string[] {
  return [process.execPath, join(BENCH_DIST, 'servers', `${spec.script}.server.js`)];
}

/** Throughput against catalog size. */
export const TOOL_COUNTS = [1, 50, 500] as const;
export const toolsScenario = (tools: number): Scenario => ({
  id: `ours-http-2026-tools-${tools}`,
  label: `nest-mcp HTTP 2026, ${tools} tools`,
  group: 'ours',
  server: ours({ BENCH_TOOLS: String(tools) }),
  load: HTTP_2026,
});

/** Latency percentiles against concurrent clients. */
export const LATENCY_CONCURRENCY = [1, 50, 200] as const;
export const LATENCY_SCENARIOS = [
  'raw-http',
  'nest-bare',
  'sdk-v2-2026',
  'rekog-2026',
  'ours-http-2026-json',
];

/** Memory per held session / socket. */
export interface MemoryScenario {
  readonly id: string;
  readonly label: string;
  readonly server: ServerSpec;
  readonly kind: 'http-session' | 'ws-idle' | 'ws-session';
  /** For WebSocket kinds: the load used for the latency reading while the sockets are held. */
  readonly load?: WsLoad;
}
export const MEMORY_COUNTS = [1_000, 10_000] as const;
export const MEMORY_SCENARIOS: readonly MemoryScenario[] = [
  { id: 'ours-http-session', label: 'nest-mcp HTTP 2025 session', server: ours(), kind: 'http-session' },
  {
    id: 'sdk-v2-http-session',
    label: 'SDK v2 HTTP 2025 session',
    server: { script: 'sdk-v2', env: { BENCH_MODE: 'session' } },
    kind: 'http-session',
  },
  {
    id: 'ours-ws-idle',
    label: 'nest-mcp WebSocket, idle socket',
    server: ours(),
    kind: 'ws-idle',
    load: WS_2026,
  },
  {
    id: 'ours-ws-session',
    label: 'nest-mcp WebSocket, 2025 session',
    server: ours(),
    kind: 'ws-session',
    load: WS_2025,
  },
];
export { WS_2025 };
