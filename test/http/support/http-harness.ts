import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { applyTestRouteSettings, createTestApp, routePath } from '../../support/test-platform.js';
import { MCP_CATALOG, McpModule, type McpModuleExtras, type McpModuleOptions } from 'nest-mcp';
import { TestCatalog } from '../../protocol/support/test-catalog.js';

export const SERVER_INFO = { name: 'http-test-server', version: '1.0.0' };
export const MODERN = '2026-07-28';

export interface HttpHarness {
  readonly app: INestApplication;
  readonly catalog: TestCatalog;
  /** `http://127.0.0.1:<port>/mcp` */
  readonly url: string;
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  close(): Promise<void>;
}

/**
 * Boots a real Nest app (default body parser on) serving the test catalog on 127.0.0.1.
 * The run's route settings (`MCP_TEST_PREFIX`) apply, unless `configure` (run before `listen`)
 * sets its own; `url` is then the route as given, and callers build their own from `origin`.
 */
export async function startHttp(
  options: Partial<McpModuleOptions> & Omit<McpModuleExtras, 'route'> = {},
  route?: string,
  configure?: (app: INestApplication) => void,
): Promise<HttpHarness> {
  const catalog = new TestCatalog();
  const moduleRef = await Test.createTestingModule({
    imports: [
      McpModule.forRoot({ serverInfo: SERVER_INFO, ...options, ...(route !== undefined && { route }) }),
    ],
  })
    .overrideProvider(MCP_CATALOG)
    .useValue(catalog)
    .compile();
  const app = createTestApp(moduleRef, { logger: false });
  if (configure === undefined) applyTestRouteSettings(app);
  else configure(app);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return {
    app,
    catalog,
    origin: `http://127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}${configure === undefined ? routePath(route) : (route ?? '/mcp')}`,
    close: () => app.close(),
  };
}

/** The 2026 `_meta` envelope. */
export function modernMeta(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'io.modelcontextprotocol/protocolVersion': MODERN,
    'io.modelcontextprotocol/clientCapabilities': {},
    'io.modelcontextprotocol/clientInfo': { name: 'raw-fetch', version: '0.0.1' },
    ...extra,
  };
}

export const JSON_AND_SSE = 'application/json, text/event-stream';

/** A 2025-11-25 `initialize` request, which opens a session. */
export const LEGACY_INITIALIZE = {
  jsonrpc: '2.0',
  id: 0,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

/** Headers of a 2025 POST (add `mcp-session-id` once the session exists). */
export const LEGACY_HEADERS = { 'content-type': 'application/json', accept: JSON_AND_SSE };

/** Headers of a well-formed 2026 POST for `method` (and `Mcp-Name` when given). */
export function modernHeaders(method: string, name?: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    accept: JSON_AND_SSE,
    'mcp-protocol-version': MODERN,
    'mcp-method': method,
    ...(name !== undefined && { 'mcp-name': name }),
  };
}

export function post(
  url: string,
  body: unknown,
  headers: Record<string, string>,
  signal?: AbortSignal,
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal,
  });
}

/** Parses an SSE body into its events (id, data as parsed JSON when present). */
export function parseSse(text: string): Array<{ id?: string; retry?: number; data?: any }> {
  const events: Array<{ id?: string; retry?: number; data?: any }> = [];
  for (const block of text.split('\n\n')) {
    if (block.trim() === '' || block.startsWith(':')) continue;
    const event: { id?: string; retry?: number; data?: any } = {};
    for (const line of block.split('\n')) {
      if (line.startsWith('id: ')) event.id = line.slice(4);
      else if (line.startsWith('retry: ')) event.retry = Number(line.slice(7));
      else if (line.startsWith('data: ') && line.length > 6) event.data = JSON.parse(line.slice(6));
    }
    events.push(event);
  }
  return events;
}
