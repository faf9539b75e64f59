import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
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

/**
 * Long tool calls and proxies with idle timeouts (issue 9, item 7): bytes flow before the
 * answer whenever the client can read a stream, in both eras.
 */

function sleepCall(id: number, ms: number, era: '2026' | '2025'): Record<string, unknown> {
  return {
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name: 'sleep', arguments: { ms }, ...(era === '2026' && { _meta: modernMeta() }) },
  };
}

describe('long calls on Streamable HTTP', () => {
  let server: HttpHarness;
  let sessionId: string;
  before(async () => {
    server = await startHttp({ http: { streamAfterMs: 100, sseKeepAliveMs: 50 } });
    const opened = await post(server.url, LEGACY_INITIALIZE, LEGACY_HEADERS);
    await opened.text();
    sessionId = opened.headers.get('mcp-session-id')!;
  });
  after(() => server.close());

  const headersOf = (era: '2026' | '2025', accept: string) =>
    era === '2026'
      ? { ...modernHeaders('tools/call', 'sleep'), accept }
      : { ...LEGACY_HEADERS, 'mcp-session-id': sessionId, accept };

  for (const era of ['2026', '2025'] as const) {
    it(`${era}: a quick answer stays JSON for a client accepting both`, async () => {
      const answer = await post(server.url, sleepCall(1, 0, era), headersOf(era, JSON_AND_SSE));
      assert.equal(answer.headers.get('content-type'), 'application/json');
      assert.equal((await answer.json()).result.content[0].text, 'slept');
    });

    it(`${era}: past streamAfterMs the answer becomes a stream with keep-alive comments before the result`, async () => {
      const answer = await post(server.url, sleepCall(2, 400, era), headersOf(era, JSON_AND_SSE));
      assert.equal(answer.headers.get('content-type'), 'text/event-stream');
      assert.equal(answer.headers.get('x-accel-buffering'), 'no');
      const body = await answer.text();
      const keepAlive = body.indexOf(': keepalive');
      const result = body.indexOf('"slept"');
      assert.ok(keepAlive !== -1 && result !== -1 && keepAlive < result, body);
    });

    it(`${era}: a client accepting only SSE gets the stream's headers while the tool still runs`, async () => {
      const controller = new AbortController();
      const call = {
        ...sleepCall(3, 0, era),
        params: { name: 'slow', arguments: {}, ...(era === '2026' && { _meta: modernMeta() }) },
      };
      // `slow` never answers on its own: headers can only come before any message.
      const answer = await post(
        server.url,
        call,
        { ...headersOf(era, 'text/event-stream'), 'mcp-name': 'slow' },
        controller.signal,
      );
      assert.equal(answer.status, 200);
      assert.equal(answer.headers.get('content-type'), 'text/event-stream');
      controller.abort();
    });

    it(`${era}: a client accepting only JSON gets its answer as JSON however long it takes`, async () => {
      const answer = await post(server.url, sleepCall(4, 300, era), headersOf(era, 'application/json'));
      assert.equal(answer.headers.get('content-type'), 'application/json');
      assert.equal((await answer.json()).result.content[0].text, 'slept');
    });
  }
});
