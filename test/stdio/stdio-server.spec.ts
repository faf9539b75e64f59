import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { Client as ClientV2 } from '@modelcontextprotocol/client';
import { StdioClientTransport as StdioClientTransportV2 } from '@modelcontextprotocol/client/stdio';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as StdioClientTransportV1 } from '@modelcontextprotocol/sdk/client/stdio.js';
import { FIXTURE_MAX_MESSAGE_BYTES } from './fixture/stdio-fixture.module.js';
import { FIXTURE_MAIN, StdioChild } from './support/stdio-child.js';

function textOf(result: unknown): string {
  return (result as { content: Array<{ text: string }> }).content[0]!.text;
}

const INITIALIZE_PARAMS = {
  protocolVersion: '2025-11-25',
  capabilities: {},
  clientInfo: { name: 'raw-stdio-peer', version: '0.0.1' },
};

describe('stdio transport (a real child process)', () => {
  let child: StdioChild | undefined;
  afterEach(() => {
    child?.kill();
    child = undefined;
  });

  it('serves the v2 client in the 2026-07-28 era', async () => {
    const transport = new StdioClientTransportV2({
      command: process.execPath,
      args: [FIXTURE_MAIN],
      stderr: 'pipe',
    });
    const client = new ClientV2(
      { name: 'v2-stdio-client', version: '2.0.0' },
      { versionNegotiation: { mode: { pin: '2026-07-28' } } },
    );
    try {
      await client.connect(transport);
      assert.equal(client.getProtocolEra(), 'modern');
      const { tools } = await client.listTools();
      assert.deepEqual(
        tools.map((tool) => tool.name),
        ['greet'],
      );
      assert.equal(
        textOf(await client.callTool({ name: 'greet', arguments: { name: 'Ada' } })),
        'Hello, Ada!',
      );
      const invalid = await client.callTool({ name: 'greet', arguments: { name: 42 } });
      assert.equal(invalid.isError, true);
    } finally {
      await client.close();
    }
  });

  it('serves the v1 client with the 2025-11-25 handshake', async () => {
    const transport = new StdioClientTransportV1({
      command: process.execPath,
      args: [FIXTURE_MAIN],
      stderr: 'pipe',
    });
    const client = new ClientV1({ name: 'v1-stdio-client', version: '1.0.0' });
    try {
      await client.connect(transport);
      assert.equal(client.getServerVersion()?.name, 'stdio-fixture');
      const { tools } = await client.listTools();
      assert.equal(tools[0]?.name, 'greet');
      assert.equal(
        textOf(await client.callTool({ name: 'greet', arguments: { name: 'Lin' } })),
        'Hello, Lin!',
      );
    } finally {
      await client.close();
    }
  });

  it('writes only JSON-RPC to stdout; every log line goes to stderr', async () => {
    child = StdioChild.spawn();
    await child.request(1, 'initialize', INITIALIZE_PARAMS);
    child.writeLine(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
    const call = await child.request(2, 'tools/call', { name: 'greet', arguments: { name: 'Bo' } });
    assert.equal(textOf(call['result']), 'Hello, Bo!');
    assert.equal(await child.endInput(), 0);
    for (const message of child.messages()) assert.equal(message['jsonrpc'], '2.0');
    assert.match(child.stderr, /greeting tools registered/);
    assert.match(child.stderr, /greeting Bo \(legacy era over stdio\)/);
    assert.match(child.stderr, /a stray console\.log from app code/);
  });

  it('answers invalid JSON with -32700 and keeps serving', async () => {
    child = StdioChild.spawn();
    child.writeLine('{"jsonrpc": "2.0", "id": 1, "method": ');
    const parseError = await child.waitFor((message) => message['error']?.code === -32700);
    assert.equal(parseError['id'], null);
    child.writeLine('[1, 2]');
    const notRpc = await child.waitFor((message) => message['error']?.code === -32600);
    assert.equal(notRpc['id'], null);
    const init = await child.request(2, 'initialize', INITIALIZE_PARAMS);
    assert.equal(init['result']?.protocolVersion, '2025-11-25');
    const list = await child.request(3, 'tools/list');
    assert.equal(list['result']?.tools[0]?.name, 'greet');
  });

  it('skips a line over the size limit with an error, then keeps serving', async () => {
    child = StdioChild.spawn();
    const padding = 'x'.repeat(FIXTURE_MAX_MESSAGE_BYTES * 3);
    child.writeLine(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { padding } }));
    const tooLarge = await child.waitFor((message) => message['error'] !== undefined);
    assert.equal(tooLarge['id'], null);
    assert.equal(tooLarge['error'].code, -32012);
    assert.match(tooLarge['error'].message, /exceeds the limit/);
    const init = await child.request(2, 'initialize', INITIALIZE_PARAMS);
    assert.ok(init['result']);
    const ping = await child.request(3, 'ping');
    assert.deepEqual(ping['result'], {});
    assert.ok(
      !child.messages().some((message) => message['id'] === 1),
      'the oversized request is not served',
    );
  });

  it('answers requests already received, then exits with code 0 when stdin closes', async () => {
    child = StdioChild.spawn();
    child.writeLine(
      JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: INITIALIZE_PARAMS }),
    );
    child.writeLine(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }));
    assert.equal(await child.endInput(), 0);
    const ids = child.messages().map((message) => message['id']);
    assert.deepEqual(ids.toSorted(), [1, 2]);
  });
});
