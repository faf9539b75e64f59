import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import {
  type HttpHarness,
  LEGACY_HEADERS,
  LEGACY_INITIALIZE,
  modernHeaders,
  modernMeta,
  post,
  startHttp,
} from './support/http-harness.js';

/**
 * Accept and Content-Type as RFC 9110 reads them (issue 9, item 5): q-values, parameters and
 * look-alike media types, on POST in both eras, on the GET stream and on polling.
 */

/** Accept values that accept neither JSON nor SSE, though a substring match would say they do. */
const NOT_ACCEPTABLE = [
  'text/plain; a=application/json',
  'application/jsonx',
  'image/*, text/event-streamx',
  'application/json; q=0',
  'text/event-stream;q=0',
  '*/*;q=0',
  'application/json; charset=latin1',
  '',
];

const modernCall = {
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: { name: 'echo', arguments: { text: 'hi' }, _meta: modernMeta() },
};

describe('Accept and Content-Type negotiation', () => {
  let server: HttpHarness;
  let sessionId: string;
  before(async () => {
    server = await startHttp();
    const opened = await post(server.url, LEGACY_INITIALIZE, LEGACY_HEADERS);
    await opened.text();
    sessionId = opened.headers.get('mcp-session-id')!;
  });
  after(() => server.close());

  for (const accept of NOT_ACCEPTABLE) {
    it(`answers 406 to Accept ${JSON.stringify(accept)} on POST (both eras), GET and polling`, async () => {
      const modern = await post(server.url, modernCall, { ...modernHeaders('tools/call', 'echo'), accept });
      assert.equal(modern.status, 406, 'POST 2026');
      assert.equal((await modern.json()).error.code, -32600);
      const legacy = await post(
        server.url,
        { jsonrpc: '2.0', id: 2, method: 'tools/list' },
        { ...LEGACY_HEADERS, 'mcp-session-id': sessionId, accept },
      );
      assert.equal(legacy.status, 406, 'POST 2025');
      await legacy.text();
      const get = await fetch(server.url, { headers: { 'mcp-session-id': sessionId, accept } });
      assert.equal(get.status, 406, 'GET');
      await get.text();
      const open = await post(
        server.url,
        {},
        { 'mcp-transport': 'polling', 'content-type': 'application/json', accept },
      );
      assert.equal(open.status, 406, 'polling open');
      await open.text();
    });
  }

  it('honours q=0 on one type: JSON refused means SSE, SSE refused means JSON', async () => {
    const sseOnly = await post(server.url, modernCall, {
      ...modernHeaders('tools/call', 'echo'),
      accept: 'application/json;q=0, text/event-stream',
    });
    assert.equal(sseOnly.status, 200);
    assert.equal(sseOnly.headers.get('content-type'), 'text/event-stream');
    assert.match(await sseOnly.text(), /"text":"hi"/);
    const jsonOnly = await post(server.url, modernCall, {
      ...modernHeaders('tools/call', 'echo'),
      accept: 'text/event-stream;q=0, application/*',
    });
    assert.equal(jsonOnly.headers.get('content-type'), 'application/json');
    assert.equal((await jsonOnly.json()).result.content[0].text, 'hi');
  });

  it('accepts wildcards, case and a utf-8 charset parameter; no Accept at all accepts anything', async () => {
    for (const accept of [
      '*/*',
      'APPLICATION/JSON',
      'application/json;charset=UTF-8',
      'text/*, application/*;q=0.5',
    ]) {
      const answer = await post(server.url, modernCall, { ...modernHeaders('tools/call', 'echo'), accept });
      assert.equal(answer.status, 200, accept);
      await answer.text();
    }
    const status = await new Promise<number>((resolve, reject) => {
      const headers = modernHeaders('tools/call', 'echo');
      delete (headers as Record<string, string | undefined>)['accept'];
      const req = request(server.url, { method: 'POST', headers }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      req.end(JSON.stringify(modernCall));
    });
    assert.equal(status, 200);
  });

  it('reads Content-Type as a media type: look-alikes are 415, parameters are fine', async () => {
    for (const type of [
      'application/jsonx',
      'text/plain; a=application/json',
      'application/json x',
      'json',
    ]) {
      const answer = await post(server.url, modernCall, {
        ...modernHeaders('tools/call', 'echo'),
        'content-type': type,
      });
      assert.equal(answer.status, 415, type);
      await answer.text();
    }
    const withCharset = await post(server.url, modernCall, {
      ...modernHeaders('tools/call', 'echo'),
      'content-type': 'Application/JSON; charset=utf-8',
    });
    assert.equal(withCharset.status, 200);
    await withCharset.text();
  });
});
