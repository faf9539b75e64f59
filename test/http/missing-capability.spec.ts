import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { taskToolEntries } from '../tasks/support/task-tools.js';
import {
  type HttpHarness,
  JSON_AND_SSE,
  LEGACY_HEADERS,
  LEGACY_INITIALIZE,
  modernHeaders,
  modernMeta,
  post,
  startHttp,
} from './support/http-harness.js';

const CALL_ONLY_TASK = { name: 'only-task', arguments: {} };

/**
 * A request needing a client capability the client lacks (-32021) on Streamable HTTP: the
 * 2026-07-28 revision pins it to HTTP 400; a 2025-11-25 session has no such status rule, and
 * its clients (the SDK v1 among them) read any non-2xx answer as a broken transport, so there
 * it travels in band on 200 like every other error of a session.
 */
describe('a missing client capability (-32021) per era', () => {
  let server: HttpHarness;
  before(async () => {
    server = await startHttp();
    for (const entry of taskToolEntries()) server.catalog.addTool(entry);
  });
  after(() => server.close());

  it('is 400 in the 2026-07-28 era', async () => {
    const response = await post(
      server.url,
      { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { ...CALL_ONLY_TASK, _meta: modernMeta() } },
      modernHeaders('tools/call', 'only-task'),
    );
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as { error: { code: number } }).error.code, -32021);
  });

  it('is 200 in a 2025-11-25 session', async () => {
    const opened = await post(server.url, LEGACY_INITIALIZE, {
      ...LEGACY_HEADERS,
      accept: 'application/json',
    });
    assert.equal(opened.status, 200);
    await opened.text();
    const session = {
      ...LEGACY_HEADERS,
      accept: JSON_AND_SSE,
      'mcp-session-id': opened.headers.get('mcp-session-id')!,
    };
    (await post(server.url, { jsonrpc: '2.0', method: 'notifications/initialized' }, session)).body?.cancel();
    const response = await post(
      server.url,
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: CALL_ONLY_TASK },
      { ...session, accept: 'application/json' },
    );
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { error: { code: number } }).error.code, -32021);
  });
});
