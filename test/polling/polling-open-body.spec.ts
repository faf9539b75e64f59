import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { type PollingHarness, POLLING, startPolling } from './support/polling-harness.js';

/** An empty body is empty however it is framed (issue 9, item 9): the open request's body is optional. */

function openWith(
  url: string,
  headers: Record<string, string>,
  chunks: string[],
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', headers: { ...POLLING, accept: 'application/json', ...headers } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      },
    );
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

describe('polling open: the body is optional however it is framed', () => {
  let server: PollingHarness;
  before(async () => {
    server = await startPolling();
  });
  after(() => server.close());

  const cases: Array<[string, Record<string, string>, string[], number]> = [
    ['no body at all', {}, [], 201],
    ['Content-Length: 0', { 'content-length': '0' }, [], 201],
    [
      'Content-Length: 0 and a JSON type',
      { 'content-length': '0', 'content-type': 'application/json' },
      [],
      201,
    ],
    [
      'an empty chunked body with a JSON type',
      { 'transfer-encoding': 'chunked', 'content-type': 'application/json' },
      [],
      201,
    ],
    ['an empty chunked body without a type', { 'transfer-encoding': 'chunked' }, [], 201],
    [
      'a chunked {} in two chunks',
      { 'transfer-encoding': 'chunked', 'content-type': 'application/json' },
      ['{', '}'],
      201,
    ],
    ['a chunked body with bytes but no type', { 'transfer-encoding': 'chunked' }, ['{}'], 415],
    [
      'a chunked body that is not JSON',
      { 'transfer-encoding': 'chunked', 'content-type': 'application/json' },
      ['{'],
      400,
    ],
    [
      'a chunked JSON array',
      { 'transfer-encoding': 'chunked', 'content-type': 'application/json' },
      ['[]'],
      400,
    ],
  ];
  for (const [name, headers, chunks, status] of cases) {
    it(`${name}: ${status}`, async () => {
      const answer = await openWith(server.url, headers, chunks);
      assert.equal(answer.status, status, answer.body);
      if (status === 201) assert.match(JSON.parse(answer.body).channelId, /^[0-9a-f-]{36}$/);
      else assert.ok(JSON.parse(answer.body).error.code < 0);
    });
  }
});
