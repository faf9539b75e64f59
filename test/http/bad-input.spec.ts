import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type HttpHarness,
  JSON_AND_SSE,
  modernHeaders,
  modernMeta,
  post,
  startHttp,
} from './support/http-harness.js';

const LEGACY_HEADERS = { 'content-type': 'application/json', accept: JSON_AND_SSE };

async function jsonError(
  response: Response,
): Promise<{ id: unknown; code: number; message: string; data?: any }> {
  const body = (await response.json()) as {
    id: unknown;
    error: { code: number; message: string; data?: unknown };
  };
  return { id: body.id, ...body.error };
}

function toolCall(id: number, name: string, args: Record<string, unknown> = {}): Record<string, unknown> {
  return { jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args, _meta: modernMeta() } };
}

describe('Streamable HTTP bad input: each answered as specified, the server keeps serving', () => {
  let harness: HttpHarness;
  let sessionId: string;
  before(async () => {
    harness = await startHttp({ limits: { maxMessageBytes: 2 * 1024 * 1024 } });
    const init = await post(
      harness.url,
      {
        jsonrpc: '2.0',
        id: 0,
        method: 'initialize',
        params: {
          protocolVersion: '2025-11-25',
          capabilities: {},
          clientInfo: { name: 'raw', version: '1' },
        },
      },
      LEGACY_HEADERS,
    );
    sessionId = init.headers.get('mcp-session-id')!;
    await init.text();
  });
  after(() => harness.close());

  it('malformed JSON: 400 + -32700', async () => {
    const response = await post(harness.url, '{"jsonrpc": "2.0", "id": 1,', modernHeaders('tools/call'));
    assert.equal(response.status, 400);
    assert.equal((await jsonError(response)).code, -32700);
  });

  it('valid JSON that is not JSON-RPC: 400 + -32600', async () => {
    for (const body of [{ hello: 'world' }, 42, '"text"', null, { jsonrpc: '1.0', id: 1, method: 'ping' }]) {
      const response = await post(harness.url, body ?? 'null', modernHeaders('ping'));
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.equal((await jsonError(response)).code, -32600);
    }
  });

  it('JSON-RPC batches: 400 + -32600', async () => {
    const response = await post(
      harness.url,
      [toolCall(1, 'echo', { text: 'a' })],
      modernHeaders('tools/call'),
    );
    assert.equal(response.status, 400);
    assert.equal((await jsonError(response)).code, -32600);
  });

  it('unknown method: -32601 (2026: HTTP 404 as the SDK; 2025: in band)', async () => {
    const modern = await post(
      harness.url,
      { jsonrpc: '2.0', id: 3, method: 'no/such', params: { _meta: modernMeta() } },
      modernHeaders('no/such'),
    );
    assert.equal(modern.status, 404);
    assert.deepEqual(await jsonError(modern), { id: 3, code: -32601, message: 'Method not found' });
    const legacy = await post(
      harness.url,
      { jsonrpc: '2.0', id: 4, method: 'no/such' },
      {
        ...LEGACY_HEADERS,
        'mcp-session-id': sessionId,
      },
    );
    assert.equal((await jsonError(legacy)).code, -32601);
  });

  it('invalid params: -32602, and invalid tool arguments as a tool error result', async () => {
    const response = await post(
      harness.url,
      { jsonrpc: '2.0', id: 5, method: 'tools/call', params: { arguments: {}, _meta: modernMeta() } },
      modernHeaders('tools/call'),
    );
    assert.equal((await jsonError(response)).code, -32602);
    const invalidArgs = await post(
      harness.url,
      toolCall(6, 'echo', { text: 1 }),
      modernHeaders('tools/call', 'echo'),
    );
    const body = (await invalidArgs.json()) as { result: { isError: boolean } };
    assert.equal(body.result.isError, true);
  });

  it('a malformed 2026 envelope: 400 + -32602; an unsupported revision: 400 + -32022 naming the supported ones', async () => {
    const malformed = await post(
      harness.url,
      {
        jsonrpc: '2.0',
        id: 7,
        method: 'tools/list',
        params: { _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' } },
      },
      modernHeaders('tools/list'),
    );
    assert.equal(malformed.status, 400);
    assert.equal((await jsonError(malformed)).code, -32602);
    const unsupported = await post(
      harness.url,
      {
        jsonrpc: '2.0',
        id: 8,
        method: 'tools/list',
        params: { _meta: modernMeta({ 'io.modelcontextprotocol/protocolVersion': '2099-01-01' }) },
      },
      { ...modernHeaders('tools/list'), 'mcp-protocol-version': '2099-01-01' },
    );
    assert.equal(unsupported.status, 400);
    const error = await jsonError(unsupported);
    assert.equal(error.code, -32022);
    assert.deepEqual(error.data.supported, ['2026-07-28']);
  });

  it('wrong Content-Type: 415', async () => {
    const response = await post(harness.url, JSON.stringify(toolCall(9, 'echo')), {
      ...modernHeaders('tools/call', 'echo'),
      'content-type': 'text/plain',
    });
    assert.equal(response.status, 415);
    assert.equal((await jsonError(response)).code, -32600);
  });

  it('Accept without JSON or SSE: 406', async () => {
    const response = await post(harness.url, toolCall(10, 'echo', { text: 'x' }), {
      ...modernHeaders('tools/call', 'echo'),
      accept: 'text/html',
    });
    assert.equal(response.status, 406);
  });

  it('a body over the limit: 413 with a JSON-RPC error, by Content-Length and when chunked', async () => {
    const big = JSON.stringify({
      jsonrpc: '2.0',
      id: 11,
      method: 'ping',
      params: { pad: 'x'.repeat(3 * 1024 * 1024) },
    });
    const declared = await post(harness.url, big, modernHeaders('ping'));
    assert.equal(declared.status, 413);
    assert.equal((await jsonError(declared)).code, -32012);
    const chunks = new Blob([big]).stream();
    const chunked = await fetch(harness.url, {
      method: 'POST',
      headers: modernHeaders('ping'),
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    assert.equal(chunked.status, 413);
    assert.equal((await jsonError(chunked)).code, -32012);
  });

  it("a 1 MiB body passes Nest's default 100 kB JSON parser and is served", async () => {
    const text = 'y'.repeat(1024 * 1024);
    const response = await post(
      harness.url,
      toolCall(12, 'echo', { text }),
      modernHeaders('tools/call', 'echo'),
    );
    assert.equal(response.status, 200);
    const body = (await response.json()) as { result: { content: Array<{ text: string }> } };
    assert.equal(body.result.content[0]!.text.length, text.length);
  });

  it('unsupported MCP-Protocol-Version on a session: 400 naming the supported versions', async () => {
    const response = await post(
      harness.url,
      { jsonrpc: '2.0', id: 13, method: 'ping' },
      {
        ...LEGACY_HEADERS,
        'mcp-session-id': sessionId,
        'mcp-protocol-version': '1999-01-01',
      },
    );
    assert.equal(response.status, 400);
    const error = await jsonError(response);
    assert.match(error.message, /2025-11-25/);
    assert.ok(error.data.supported.includes('2025-06-18'));
  });

  it('Mcp-Method or Mcp-Name disagreeing with the body (or missing): 400 + -32020', async () => {
    const cases: Array<Record<string, string>> = [
      modernHeaders('tools/list', 'echo'),
      modernHeaders('tools/call', 'other-tool'),
      modernHeaders('tools/call'),
      { ...modernHeaders('tools/call', 'echo'), 'mcp-protocol-version': '2025-11-25' },
    ];
    for (const headers of cases) {
      const response = await post(harness.url, toolCall(14, 'echo', { text: 'x' }), headers);
      assert.equal(response.status, 400, JSON.stringify(headers));
      assert.equal((await jsonError(response)).code, -32020);
    }
    const encoded = await post(
      harness.url,
      toolCall(15, 'echo', { text: 'x' }),
      modernHeaders('tools/call', `=?base64?${Buffer.from('echo').toString('base64')}?=`),
    );
    assert.equal(encoded.status, 200, 'a Base64-encoded Mcp-Name that matches is accepted');
    await encoded.text();
  });

  it('unknown session: 404; missing session where one is required: 400', async () => {
    const unknown = await post(
      harness.url,
      { jsonrpc: '2.0', id: 16, method: 'tools/list' },
      {
        ...LEGACY_HEADERS,
        'mcp-session-id': 'no-such-session',
      },
    );
    assert.equal(unknown.status, 404);
    assert.equal((await jsonError(unknown)).code, -32001);
    const missing = await post(harness.url, { jsonrpc: '2.0', id: 17, method: 'tools/list' }, LEGACY_HEADERS);
    assert.equal(missing.status, 400);
    const get = await fetch(harness.url, { headers: { accept: 'text/event-stream' } });
    assert.equal(get.status, 400);
    await get.text();
    const del = await fetch(harness.url, { method: 'DELETE', headers: { 'mcp-session-id': 'nope' } });
    assert.equal(del.status, 404);
    await del.text();
  });

  it('foreign Origin: 403; localhost Origin and no Origin pass', async () => {
    const foreign = await post(harness.url, toolCall(18, 'echo', { text: 'x' }), {
      ...modernHeaders('tools/call', 'echo'),
      origin: 'https://evil.example',
    });
    assert.equal(foreign.status, 403);
    assert.equal((await jsonError(foreign)).code, -32010);
    const local = await post(harness.url, toolCall(19, 'echo', { text: 'x' }), {
      ...modernHeaders('tools/call', 'echo'),
      origin: 'http://localhost:5173',
    });
    assert.equal(local.status, 200);
    await local.text();
  });

  it('wrong HTTP method: 405 with Allow', async () => {
    const response = await fetch(harness.url, { method: 'PUT', body: '{}' });
    assert.equal(response.status, 405);
    assert.equal(response.headers.get('allow'), 'GET, POST, DELETE');
    assert.equal((await jsonError(response)).code, -32600);
  });

  it('a second GET stream for one session: 409', async () => {
    const headers = { accept: 'text/event-stream', 'mcp-session-id': sessionId };
    const first = await fetch(harness.url, { headers });
    assert.equal(first.status, 200);
    const second = await fetch(harness.url, { headers });
    assert.equal(second.status, 409);
    await second.text();
    await first.body?.cancel();
  });

  it('a handler that throws: a tool error with a safe message', async () => {
    const response = await post(harness.url, toolCall(20, 'fail'), modernHeaders('tools/call', 'fail'));
    const body = (await response.json()) as {
      result: { isError: boolean; content: Array<{ text: string }> };
    };
    assert.equal(body.result.isError, true);
    assert.equal(body.result.content[0]!.text, 'Internal error');
  });

  it('still serves normal traffic afterwards', async () => {
    const response = await post(
      harness.url,
      toolCall(21, 'echo', { text: 'still here' }),
      modernHeaders('tools/call', 'echo'),
    );
    const body = (await response.json()) as { result: { content: Array<{ text: string }> } };
    assert.equal(body.result.content[0]!.text, 'still here');
  });
});

describe('Host validation when bound to localhost', () => {
  let harness: HttpHarness;
  before(async () => {
    harness = await startHttp();
  });
  after(() => harness.close());

  it('refuses a foreign Host with 403', async () => {
    const { request } = await import('node:http');
    const url = new URL(harness.url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: { ...modernHeaders('ping'), host: 'evil.example' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { _meta: modernMeta() } }));
    });
    assert.equal(status, 403);
  });
});
