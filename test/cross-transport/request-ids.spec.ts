import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type HttpHarness, startHttp } from '../http/support/http-harness.js';
import { ALL_PEERS, answerTo, connectPeer, peerName, type WireMessage } from './support/wire-peers.js';

/**
 * Request ids and progress tokens on every transport, in both eras (issue 9, items 1, 3, 4):
 * ids are strings or integers that can be echoed exactly, progress tokens likewise, and a
 * request id already in flight is refused instead of taking over the first request's routing.
 */

const isInvalidRequest = (message: WireMessage) => message['error']?.['code'] === -32600;

describe('request ids and progress tokens on every transport', () => {
  let server: HttpHarness;
  before(async () => {
    server = await startHttp();
  });
  after(() => server.close());

  for (const kind of ALL_PEERS) {
    describe(peerName(kind), () => {
      it('refuses ids that are not strings or integers with -32600 and id null, running nothing', async () => {
        const peer = await connectPeer(kind.transport, kind.era, server.url);
        try {
          const meta =
            kind.era === '2026'
              ? ',"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}'
              : '';
          const bodies = [
            `{"jsonrpc":"2.0","id":1.5,"method":"tools/call","params":{"name":"echo","arguments":{"text":"a"}${meta}}}`,
            `{"jsonrpc":"2.0","id":9007199254740993,"method":"tools/call","params":{"name":"echo","arguments":{"text":"b"}${meta}}}`,
            `{"jsonrpc":"2.0","id":true,"method":"tools/call","params":{"name":"echo","arguments":{"text":"c"}${meta}}}`,
            `{"jsonrpc":"2.0","id":{"a":1},"method":"tools/call","params":{"name":"echo","arguments":{"text":"d"}${meta}}}`,
          ];
          for (const body of bodies) await peer.sendRaw(body);
          const deadline = Date.now() + 5_000;
          while (peer.received.filter(isInvalidRequest).length < bodies.length && Date.now() < deadline) {
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
          const refusals = peer.received.filter(isInvalidRequest);
          assert.equal(refusals.length, bodies.length, JSON.stringify(peer.received));
          for (const refusal of refusals) assert.equal(refusal['id'], null);
          // A string id and the largest exact integer still work, echoed exactly.
          await peer.request('id-1', 'tools/call', { name: 'echo', arguments: { text: 'ok' } });
          await peer.request(9007199254740991, 'tools/call', { name: 'echo', arguments: { text: 'max' } });
          assert.equal((await peer.waitFor(answerTo('id-1')))['result']['content'][0]['text'], 'ok');
          assert.equal(
            (await peer.waitFor(answerTo(9007199254740991)))['result']['content'][0]['text'],
            'max',
          );
          assert.ok(
            !peer.received.some(
              (message) =>
                'result' in message &&
                message['result']?.['content']?.[0]?.['text'] !== 'ok' &&
                message['id'] !== 9007199254740991 &&
                message['id'] !== 'handshake',
            ),
            'no tool ran for a refused id',
          );
        } finally {
          await peer.close();
        }
      });

      it('refuses progress tokens that are not strings or integers with -32602 and echoes good ones exactly', async () => {
        const peer = await connectPeer(kind.transport, kind.era, server.url);
        try {
          const bad: unknown[] = [{}, [], true, false, 1.5, null, { a: 1 }, 2 ** 53];
          for (const [index, token] of bad.entries()) {
            await peer.request(
              `bad-${index}`,
              'tools/call',
              { name: 'progress', arguments: {} },
              { progressToken: token },
            );
            const answer = await peer.waitFor(answerTo(`bad-${index}`));
            assert.equal(
              answer['error']?.['code'],
              -32602,
              `token ${JSON.stringify(token)}: ${JSON.stringify(answer)}`,
            );
            assert.match(answer['error']['message'], /progressToken/);
          }
          await peer.request('bad-meta', 'tools/list', {}, undefined);
          for (const token of ['tok-1', 42, -7]) {
            await peer.request(
              `good-${String(token)}`,
              'tools/call',
              { name: 'progress', arguments: {} },
              { progressToken: token },
            );
            await peer.waitFor(answerTo(`good-${String(token)}`));
          }
          const tokens = peer.received
            .filter((message) => message['method'] === 'notifications/progress')
            .map((message) => message['params']['progressToken']);
          assert.deepEqual([...new Set(tokens)].sort(), [-7, 42, 'tok-1'].sort());
        } finally {
          await peer.close();
        }
      });

      it('keeps a duplicate in-flight id from reaching another request', async () => {
        const peer = await connectPeer(kind.transport, kind.era, server.url);
        try {
          await peer.request(
            7,
            'tools/call',
            { name: 'sleep', arguments: { ms: 400 } },
            { progressToken: 'A' },
          );
          await peer.request(7, 'tools/call', { name: 'progress', arguments: {} }, { progressToken: 'B' });
          if (kind.transport === 'streamable-http' && kind.era === '2026') {
            // Stateless: each POST is its own exchange, so the two are isolated and both answered.
            await peer.waitFor(
              (m) => m['id'] === 7 && m['result']?.['content']?.[0]?.['text'] === 'progressed',
            );
          } else {
            const refusal = await peer.waitFor((m) => m['id'] === 7 && isInvalidRequest(m));
            assert.match(refusal['error']['message'], /already used by a request in flight/);
            assert.ok(
              !peer.received.some((m) => m['method'] === 'notifications/progress'),
              'the refused request ran nothing',
            );
          }
          const first = await peer.waitFor(
            (m) => m['id'] === 7 && m['result']?.['content']?.[0]?.['text'] === 'slept',
          );
          assert.ok(first);
          // The id is free again once answered.
          await peer.request(7, 'tools/call', { name: 'echo', arguments: { text: 'again' } });
          await peer.waitFor((m) => m['id'] === 7 && m['result']?.['content']?.[0]?.['text'] === 'again');
        } finally {
          await peer.close();
        }
      });
    });
  }
});
