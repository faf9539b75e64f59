import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  Client as ClientV2,
  StreamableHTTPClientTransport as TransportV2,
} from '@modelcontextprotocol/client';
import { buildToolEntry } from 'nest-mcp';
import { z } from 'zod';
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
 * SEP-2243 custom headers: arguments a tool marks `x-mcp-header` travel twice on 2026 HTTP
 * POSTs (body and `Mcp-Param-*`); the server refuses a call whose two copies disagree with
 * 400 and -32020 before any handler runs.
 */
const HEADER_MISMATCH = -32020;

const b64 = (text: string) => `=?base64?${Buffer.from(text, 'utf8').toString('base64')}?=`;

function call(
  url: string,
  name: string,
  args: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  return post(
    url,
    { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args, _meta: modernMeta() } },
    { ...modernHeaders('tools/call', name), ...headers },
  );
}

async function expectAnswer(response: Response, text: string): Promise<void> {
  const body = (await response.json()) as { result?: { content: Array<{ text: string }> }; error?: unknown };
  assert.equal(response.status, 200, JSON.stringify(body));
  assert.equal(body.result?.content[0]!.text, text);
}

async function expectMismatch(response: Response, detail: RegExp): Promise<void> {
  assert.equal(response.status, 400);
  const body = (await response.json()) as { id: unknown; error: { code: number; message: string } };
  assert.equal(body.id, 1);
  assert.equal(body.error.code, HEADER_MISMATCH);
  assert.match(body.error.message, detail);
}

describe('Mcp-Param-* headers (SEP-2243) on Streamable HTTP', () => {
  let harness: HttpHarness;
  let handlerRuns = 0;
  before(async () => {
    harness = await startHttp();
    // Annotated in the schema itself (zod metadata)...
    harness.catalog.addTool(
      buildToolEntry(
        {
          name: 'route',
          input: z.object({ region: z.string().meta({ 'x-mcp-header': 'Region' }), query: z.string() }),
        },
        (args) => {
          handlerRuns++;
          return `${(args as { region: string }).region}:${(args as { query: string }).query}`;
        },
      ),
    );
    // ...and through the `headers` option, with integer and boolean parameters.
    harness.catalog.addTool(
      buildToolEntry(
        {
          name: 'rank',
          input: z.object({ priority: z.number().int().optional(), urgent: z.boolean().optional() }),
          headers: { priority: 'Priority', urgent: 'Urgent' },
        },
        (args) => JSON.stringify(args),
      ),
    );
  });
  after(() => harness.close());

  it('lists the annotation in the input schema, also when it came from the headers option', async () => {
    const response = await post(
      harness.url,
      { jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: modernMeta() } },
      modernHeaders('tools/list'),
    );
    const { result } = (await response.json()) as {
      result: { tools: Array<{ name: string; inputSchema: { properties: Record<string, any> } }> };
    };
    const rank = result.tools.find((tool) => tool.name === 'rank')!;
    assert.equal(rank.inputSchema.properties['priority']['x-mcp-header'], 'Priority');
    assert.equal(rank.inputSchema.properties['urgent']['x-mcp-header'], 'Urgent');
    const route = result.tools.find((tool) => tool.name === 'route')!;
    assert.equal(route.inputSchema.properties['region']['x-mcp-header'], 'Region');
    assert.equal(route.inputSchema.properties['query']['x-mcp-header'], undefined);
  });

  it('accepts a header equal to the argument, whatever the header name case', async () => {
    await expectAnswer(
      await call(harness.url, 'route', { region: 'eu-west', query: 'q' }, { 'MCP-PARAM-REGION': 'eu-west' }),
      'eu-west:q',
    );
  });

  it('decodes Base64 values (non-ASCII, surrounding spaces) and takes unwrapped ones literally', async () => {
    await expectAnswer(
      await call(
        harness.url,
        'route',
        { region: 'Zürich', query: 'q' },
        { 'mcp-param-region': b64('Zürich') },
      ),
      'Zürich:q',
    );
    await expectAnswer(
      await call(
        harness.url,
        'route',
        { region: ' padded ', query: 'q' },
        { 'mcp-param-region': b64(' padded ') },
      ),
      ' padded :q',
    );
    const literal = Buffer.from('Hello').toString('base64');
    await expectAnswer(
      await call(harness.url, 'route', { region: literal, query: 'q' }, { 'mcp-param-region': literal }),
      `${literal}:q`,
    );
  });

  it('rejects a header that differs from the argument (400, -32020) without running the handler', async () => {
    const runsSoFar = handlerRuns;
    await expectMismatch(
      await call(harness.url, 'route', { region: 'eu-west', query: 'q' }, { 'mcp-param-region': 'us-east' }),
      /Mcp-Param-Region/,
    );
    await expectMismatch(
      await call(harness.url, 'route', { region: 'Hello', query: 'q' }, { 'mcp-param-region': b64('Hallo') }),
      /Mcp-Param-Region/,
    );
    assert.equal(handlerRuns, runsSoFar);
  });

  it('rejects a missing header when the body carries the argument (400, -32020)', async () => {
    await expectMismatch(
      await call(harness.url, 'route', { region: 'eu-west', query: 'q' }),
      /Mcp-Param-Region header is missing/,
    );
  });

  it('rejects invalid Base64: missing padding, characters outside the alphabet', async () => {
    for (const bad of ['=?base64?SGVsbG8?=', '=?base64?SGVs!!!bG8=?=']) {
      await expectMismatch(
        await call(harness.url, 'route', { region: 'Hello', query: 'q' }, { 'mcp-param-region': bad }),
        /invalid Base64/,
      );
    }
  });

  it('compares integers as numbers and booleans as lowercase words', async () => {
    await expectAnswer(
      await call(
        harness.url,
        'rank',
        { priority: 42, urgent: true },
        { 'mcp-param-priority': '42.0', 'mcp-param-urgent': 'true' },
      ),
      '{"priority":42,"urgent":true}',
    );
    await expectMismatch(
      await call(harness.url, 'rank', { priority: 42 }, { 'mcp-param-priority': '0x2a' }),
      /Mcp-Param-Priority/,
    );
    await expectMismatch(
      await call(harness.url, 'rank', { urgent: true }, { 'mcp-param-urgent': 'True' }),
      /Mcp-Param-Urgent/,
    );
  });

  it('expects no header for an absent or null argument, and ignores one that is sent', async () => {
    await expectAnswer(await call(harness.url, 'rank', {}), '{}');
    await expectAnswer(await call(harness.url, 'rank', {}, { 'mcp-param-priority': '7' }), '{}');
  });

  it('leaves 2025-11-25 sessions alone: the headers belong to the 2026 binding', async () => {
    const opened = await post(harness.url, LEGACY_INITIALIZE, LEGACY_HEADERS);
    const session = opened.headers.get('mcp-session-id')!;
    await opened.text();
    const headers = { ...LEGACY_HEADERS, 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' };
    await post(harness.url, { jsonrpc: '2.0', method: 'notifications/initialized' }, headers);
    const response = await post(
      harness.url,
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'route', arguments: { region: 'eu', query: 'q' } },
      },
      { ...headers, accept: 'application/json' },
    );
    assert.equal(response.status, 200);
    assert.match(await response.text(), /eu:q/);
  });

  it('interoperates with the SDK v2 client, which mirrors (and Base64-encodes) the arguments itself', async () => {
    const client = new ClientV2(
      { name: 'v2-headers', version: '2.0.0' },
      { capabilities: {}, versionNegotiation: { mode: { pin: '2026-07-28' } } },
    );
    await client.connect(new TransportV2(new URL(harness.url)));
    try {
      await client.listTools();
      const result = await client.callTool({ name: 'route', arguments: { region: 'São Paulo', query: 'q' } });
      assert.equal((result as { content: Array<{ text: string }> }).content[0]!.text, 'São Paulo:q');
    } finally {
      await client.close();
    }
  });
});
