import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  LEGACY_HEADERS as HEADERS,
  LEGACY_INITIALIZE as INITIALIZE,
  modernHeaders,
  modernMeta,
  post,
  startHttp,
} from './support/http-harness.js';

describe('2025 session limits', () => {
  it('maxSessions: a further initialize gets 503 with Retry-After; 2026 requests are unaffected', async () => {
    const harness = await startHttp({ http: { maxSessions: 1 } });
    try {
      const first = await post(harness.url, INITIALIZE, HEADERS);
      assert.equal(first.status, 200);
      assert.match(first.headers.get('mcp-session-id') ?? '', /^[0-9a-f-]{36}$/);
      await first.text();
      const second = await post(harness.url, INITIALIZE, HEADERS);
      assert.equal(second.status, 503);
      assert.ok(second.headers.get('retry-after'));
      assert.equal(((await second.json()) as { error: { code: number } }).error.code, -32011);
      const modern = await post(
        harness.url,
        { jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: modernMeta() } },
        modernHeaders('tools/list'),
      );
      assert.equal(modern.status, 200);
      await modern.text();
    } finally {
      await harness.close();
    }
  });

  it('ends a session left idle past sessionIdleTimeoutMs (then 404)', async () => {
    const harness = await startHttp({ http: { sessionIdleTimeoutMs: 100 } });
    try {
      const init = await post(harness.url, INITIALIZE, HEADERS);
      const sessionId = init.headers.get('mcp-session-id')!;
      await init.text();
      await new Promise((resolve) => setTimeout(resolve, 400));
      const later = await post(
        harness.url,
        { jsonrpc: '2.0', id: 1, method: 'ping' },
        {
          ...HEADERS,
          'mcp-session-id': sessionId,
        },
      );
      assert.equal(later.status, 404);
      await later.text();
    } finally {
      await harness.close();
    }
  });

  it('with sessions off, initialize is refused naming the 2026 revision and GET is 405', async () => {
    const harness = await startHttp({ http: { sessions: false } });
    try {
      const init = await post(harness.url, INITIALIZE, HEADERS);
      assert.equal(init.status, 400);
      const body = (await init.json()) as { error: { code: number; data: { supported: string[] } } };
      assert.equal(body.error.code, -32022);
      assert.deepEqual(body.error.data.supported, ['2026-07-28']);
      const get = await fetch(harness.url, { headers: { accept: 'text/event-stream' } });
      assert.equal(get.status, 405);
      await get.text();
    } finally {
      await harness.close();
    }
  });

  it('serves the route under a custom path', async () => {
    const harness = await startHttp({}, '/custom/mcp');
    try {
      const response = await post(
        harness.url,
        {
          jsonrpc: '2.0',
          id: 1,
          method: 'tools/call',
          params: { name: 'echo', arguments: { text: 'x'.repeat(200_000) }, _meta: modernMeta() },
        },
        modernHeaders('tools/call', 'echo'),
      );
      assert.equal(response.status, 200, 'a body over 100 kB passes on a custom route too');
      await response.text();
    } finally {
      await harness.close();
    }
  });
});
