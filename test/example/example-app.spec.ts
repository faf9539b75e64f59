import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/client';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as StdioClientTransportV1 } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport as StreamableHTTPClientTransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import WebSocket from 'ws';
import { AppModule } from '../../src/app.module.js';

/**
 * The README's promise, end to end: the example app serves the official SDK clients (v2
 * with version negotiation, v1 with the 2025-11-25 handshake) over HTTP and over stdio.
 */

const MAIN_STDIO = fileURLToPath(new URL('../../src/main-stdio.js', import.meta.url));
const EDITOR_TOKEN = 'test-editor-token';

interface McpClientLike {
  listTools(): Promise<{ tools: Array<{ name: string }> }>;
  callTool(params: { name: string; arguments?: Record<string, unknown> }): Promise<unknown>;
  getPrompt(params: { name: string; arguments?: Record<string, string> }): Promise<unknown>;
  close(): Promise<void>;
}

function textOf(result: unknown): string {
  return (result as { content: Array<{ text: string }> }).content[0]!.text;
}

/** What every client must be able to do with the example app, on any transport. */
async function exerciseNotesTools(client: McpClientLike): Promise<void> {
  const marker = `tent-${Math.random().toString(36).slice(2)}`;
  const { tools } = await client.listTools();
  assert.deepEqual(tools.map((tool) => tool.name).toSorted(), [
    'add_tag_shortcut',
    'create_note',
    'delete_note',
    'draft_note',
    'export_notes',
    'search_notes',
    'summarize_notes',
  ]);
  const created = (await client.callTool({
    name: 'create_note',
    arguments: { title: 'Trip', body: `Pack the ${marker}`, tags: ['travel'] },
  })) as { structuredContent: { id: string; title: string } };
  assert.equal(created.structuredContent.title, 'Trip');
  const found = (await client.callTool({ name: 'search_notes', arguments: { query: marker } })) as {
    structuredContent: { notes: Array<{ id: string }> };
  };
  assert.deepEqual(
    found.structuredContent.notes.map((note) => note.id),
    [created.structuredContent.id],
  );
  const invalid = (await client.callTool({ name: 'create_note', arguments: { body: 'no title' } })) as {
    isError?: boolean;
  };
  assert.equal(invalid.isError, true);
  assert.match(textOf(invalid), /title/);
  // The handler's NotFoundException names a bad argument: Invalid params, not an internal error.
  await assert.rejects(
    client.getPrompt({ name: 'review_note', arguments: { noteId: 'no-such-note' } }),
    (error: { code?: number; message?: string }) => {
      assert.equal(error.code, -32602);
      assert.match(error.message ?? '', /Note no-such-note not found/);
      return true;
    },
  );
}

describe('example app over Streamable HTTP', () => {
  let app: INestApplication;
  let url: URL;
  before(async () => {
    process.env['NOTES_EDITOR_TOKEN'] = EDITOR_TOKEN;
    app = await NestFactory.create(AppModule, { logger: false });
    await app.listen(0, '127.0.0.1');
    url = new URL(`${await app.getUrl()}/mcp`.replace('[::1]', '127.0.0.1'));
  });
  after(() => app.close());

  it('serves the v2 client, which negotiates revision 2026-07-28', async () => {
    const client = new Client(
      { name: 'example-v2', version: '1.0.0' },
      { versionNegotiation: { mode: 'auto' } },
    );
    await client.connect(new StreamableHTTPClientTransport(url));
    assert.equal(client.getProtocolEra(), 'modern');
    await exerciseNotesTools(client);

    const progress: number[] = [];
    const summary = await client.callTool(
      { name: 'summarize_notes', arguments: {} },
      { onprogress: (update) => progress.push(update.progress) },
    );
    assert.match(textOf(summary), /Welcome/);
    assert.ok(progress.length >= 2, `progress updates: ${JSON.stringify(progress)}`);
    assert.deepEqual(
      progress,
      progress.toSorted((a, b) => a - b),
    );

    const template = await client.readResource({ uri: 'notes://notes/1' });
    assert.match((template.contents[0] as { text: string }).text, /^# Welcome/);
    const completion = await client.complete({
      ref: { type: 'ref/resource', uri: 'notes://notes/{id}' },
      argument: { name: 'id', value: '' },
    });
    assert.ok(completion.completion.values.includes('1'));
    const prompt = await client.getPrompt({
      name: 'review_note',
      arguments: { noteId: '2', tone: 'strict' },
    });
    assert.match(JSON.stringify(prompt.messages), /strict tone/);
    await client.close();
  });

  it('serves the v1 client with the 2025-11-25 handshake and a session', async () => {
    const client = new ClientV1({ name: 'example-v1', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransportV1(url);
    await client.connect(transport);
    assert.ok(transport.sessionId, 'a session id was issued');
    assert.equal(transport.protocolVersion, '2025-11-25');
    await exerciseNotesTools(client);
    const index = await client.readResource({ uri: 'notes://index' });
    assert.ok(Array.isArray(JSON.parse((index.contents[0] as { text: string }).text)));
    await transport.terminateSession();
    await client.close();
  });

  it('runs the editor guard on delete_note: refused without the token, allowed with it', async () => {
    const anonymous = new ClientV1({ name: 'anonymous', version: '1.0.0' });
    await anonymous.connect(new StreamableHTTPClientTransportV1(url));
    const refused = await anonymous.callTool({ name: 'delete_note', arguments: { id: '2' } });
    assert.equal(refused.isError, true);
    assert.match(textOf(refused), /Only editors/);
    await anonymous.close();

    const editor = new Client({ name: 'editor', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
    await editor.connect(
      new StreamableHTTPClientTransport(url, {
        requestInit: { headers: { authorization: `Bearer ${EDITOR_TOKEN}` } },
      }),
    );
    const deleted = await editor.callTool({ name: 'delete_note', arguments: { id: '2' } });
    assert.equal(deleted.isError, undefined);
    assert.equal(textOf(deleted), 'Deleted note 2 (Groceries)');
    await editor.close();
  });
});

describe('example app over WebSocket', () => {
  let app: INestApplication;
  let wsUrl: string;
  before(async () => {
    process.env['NOTES_EDITOR_TOKEN'] = EDITOR_TOKEN;
    app = await NestFactory.create(AppModule, { logger: false });
    await app.listen(0, '127.0.0.1');
    wsUrl = `${await app.getUrl()}/mcp`.replace('http:', 'ws:').replace('[::1]', '127.0.0.1');
  });
  after(() => app.close());

  /** One 2026-era `tools/call` over a fresh socket opened with `headers`. */
  async function callOverSocket(
    headers: Record<string, string>,
    name: string,
    args: object,
  ): Promise<unknown> {
    const socket = new WebSocket(wsUrl, 'mcp', { headers });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const answer = new Promise<unknown>((resolve) =>
      socket.on('message', (data) => {
        const message = JSON.parse(String(data)) as { id?: number; result?: unknown };
        if (message.id === 1) resolve(message.result);
      }),
    );
    socket.send(
      JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: {
          name,
          arguments: args,
          _meta: {
            'io.modelcontextprotocol/protocolVersion': '2026-07-28',
            'io.modelcontextprotocol/clientCapabilities': {},
          },
        },
      }),
    );
    const result = await answer;
    socket.close(1000);
    return result;
  }

  it('hands the principal the route guard set at the upgrade to the tool guard', async () => {
    const refused = await callOverSocket({}, 'delete_note', { id: '1' });
    assert.equal((refused as { isError?: boolean }).isError, true);
    assert.match(textOf(refused), /Only editors/);
    const deleted = await callOverSocket({ authorization: `Bearer ${EDITOR_TOKEN}` }, 'delete_note', {
      id: '1',
    });
    assert.equal(textOf(deleted), 'Deleted note 1 (Welcome)');
  });
});

describe('example app over stdio', () => {
  it('serves the v2 client with version negotiation', async () => {
    const client = new Client(
      { name: 'example-v2-stdio', version: '1.0.0' },
      { versionNegotiation: { mode: 'auto' } },
    );
    await client.connect(
      new StdioClientTransport({ command: process.execPath, args: [MAIN_STDIO], stderr: 'ignore' }),
    );
    assert.equal(client.getProtocolEra(), 'modern');
    await exerciseNotesTools(client);
    // Without an HTTP request there is no principal: the guard refuses, the same code path.
    const refused = await client.callTool({ name: 'delete_note', arguments: { id: '1' } });
    assert.equal(refused.isError, true);
    await client.close();
  });

  it('serves the v1 client with the 2025-11-25 handshake', async () => {
    const client = new ClientV1({ name: 'example-v1-stdio', version: '1.0.0' });
    await client.connect(
      new StdioClientTransportV1({ command: process.execPath, args: [MAIN_STDIO], stderr: 'ignore' }),
    );
    assert.deepEqual(client.getServerVersion()?.name, 'notes-example');
    await exerciseNotesTools(client);
    await client.close();
  });
});
