import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type HttpHarness,
  LEGACY_HEADERS,
  LEGACY_INITIALIZE,
  post,
  startHttp,
} from '../http/support/http-harness.js';
import { ALL_PEERS, answerTo, connectPeer, peerName } from './support/wire-peers.js';

/**
 * A cancelled request ends everywhere (issue 9, item 2): it gets no answer, its HTTP exchange
 * ends, and whatever it held (a session's idle clock, a connection's in-flight slot) is freed.
 */

async function openSession(url: string): Promise<string> {
  const response = await post(url, LEGACY_INITIALIZE, LEGACY_HEADERS);
  await response.text();
  const sessionId = response.headers.get('mcp-session-id');
  assert.ok(sessionId);
  await post(
    url,
    { jsonrpc: '2.0', method: 'notifications/initialized' },
    { ...LEGACY_HEADERS, 'mcp-session-id': sessionId },
  );
  return sessionId;
}

function cancel(url: string, sessionId: string, requestId: unknown): Promise<Response> {
  return post(
    url,
    { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId, reason: 'user stopped it' } },
    { ...LEGACY_HEADERS, 'mcp-session-id': sessionId },
  );
}

describe('cancellation ends the request on every transport', () => {
  let server: HttpHarness;
  before(async () => {
    // In-flight caps of one: a cancelled request that kept its slot would block the next one.
    server = await startHttp({
      http: { sessionIdleTimeoutMs: 400 },
      websocket: { maxInFlightPerConnection: 1 },
      polling: { maxInFlightPerChannel: 1 },
    });
  });
  after(() => server.close());

  it('2025 Streamable HTTP: the cancelled POST stream ends without an answer and the session goes idle', async () => {
    const sessionId = await openSession(server.url);
    const call = await post(
      server.url,
      { jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'slow', arguments: {} } },
      { ...LEGACY_HEADERS, 'mcp-session-id': sessionId },
    );
    // Past http.streamAfterMs the answer became a stream: its headers are here while the tool runs.
    assert.equal(call.headers.get('content-type'), 'text/event-stream');
    assert.equal((await cancel(server.url, sessionId, 9)).status, 202);
    const body = await call.text();
    assert.ok(!body.includes('"id":9'), `no answer follows a cancellation: ${body}`);
    assert.equal(await server.catalog.slowAborted, 'user stopped it');
    // Nothing is in flight any more, so the idle timeout ends the session.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const after = await post(
      server.url,
      { jsonrpc: '2.0', id: 10, method: 'tools/list' },
      { ...LEGACY_HEADERS, 'mcp-session-id': sessionId },
    );
    assert.equal(after.status, 404);
  });

  it('2025 Streamable HTTP: a JSON-only client gets 204 No Content for the cancelled POST', async () => {
    const sessionId = await openSession(server.url);
    const pending = post(
      server.url,
      {
        jsonrpc: '2.0',
        id: 'json-only',
        method: 'tools/call',
        params: { name: 'sleep', arguments: { ms: 5_000 } },
      },
      { 'content-type': 'application/json', accept: 'application/json', 'mcp-session-id': sessionId },
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal((await cancel(server.url, sessionId, 'json-only')).status, 202);
    const call = await pending;
    assert.equal(call.status, 204);
    assert.equal(await call.text(), '');
  });

  for (const kind of ALL_PEERS.filter((peer) => peer.transport !== 'streamable-http')) {
    it(`${peerName(kind)}: no answer for the cancelled request, and its in-flight slot is free`, async () => {
      const peer = await connectPeer(kind.transport, kind.era, server.url);
      try {
        await peer.request('long', 'tools/call', { name: 'sleep', arguments: { ms: 10_000 } });
        await new Promise((resolve) => setTimeout(resolve, 100));
        await peer.notify('notifications/cancelled', { requestId: 'long', reason: 'not needed' });
        await peer.request('next', 'tools/call', { name: 'echo', arguments: { text: 'free' } });
        const next = await peer.waitFor(answerTo('next'));
        assert.equal(next['result']?.['content']?.[0]?.['text'], 'free', JSON.stringify(next));
        await new Promise((resolve) => setTimeout(resolve, 200));
        assert.ok(!peer.received.some(answerTo('long')), 'a cancelled request gets no answer');
      } finally {
        await peer.close();
      }
    });
  }

  for (const kind of ALL_PEERS.filter(
    (peer) => peer.transport !== 'streamable-http' && peer.era === '2025',
  )) {
    it(`${peerName(kind)}: at the in-flight cap, a handler waiting on its client still gets the answer`, async () => {
      const peer = await connectPeer(kind.transport, kind.era, server.url);
      try {
        await peer.request('asking', 'tools/call', { name: 'ask-name', arguments: {} });
        await peer.request('queued', 'tools/call', { name: 'echo', arguments: { text: 'after' } });
        const question = await peer.waitFor((message) => message['method'] === 'elicitation/create');
        await peer.sendRaw({
          jsonrpc: '2.0',
          id: question['id'],
          result: { action: 'accept', content: { name: 'Ada' } },
        });
        const answer = await peer.waitFor(answerTo('asking'));
        assert.match(JSON.stringify(answer['result']), /Ada/);
        const queued = await peer.waitFor(answerTo('queued'));
        if (kind.transport === 'polling') {
          // HTTP cannot hold a request back: polling refuses past its cap (503, -32011, Retry-After).
          assert.equal(queued['error']?.['code'], -32011, JSON.stringify(queued));
        } else {
          // A socket or pipe holds the request back until the cap frees up.
          assert.equal(queued['result']?.['content']?.[0]?.['text'], 'after');
        }
      } finally {
        await peer.close();
      }
    });
  }
});
