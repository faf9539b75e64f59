import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  Client as ClientV2,
  StreamableHTTPClientTransport as TransportV2,
} from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import type { ServerEventBus } from '@modelcontextprotocol/server';
import { MCP_CHANGE_BUS } from 'nest-mcp';
import { type HttpHarness, SERVER_INFO, startHttp } from './support/http-harness.js';

function textOf(result: unknown): string {
  return (result as { content: Array<{ text: string }> }).content[0]!.text;
}

async function waitUntil(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('Streamable HTTP with the official SDK clients', () => {
  let harness: HttpHarness;
  before(async () => {
    harness = await startHttp();
  });
  after(() => harness.close());

  it('serves the v2 client pinned to 2026-07-28: tools, progress, elicitation as input-required rounds', async () => {
    const client = new ClientV2(
      { name: 'v2-modern', version: '2.0.0' },
      { capabilities: { elicitation: { form: {} } }, versionNegotiation: { mode: { pin: '2026-07-28' } } },
    );
    await client.connect(new TransportV2(new URL(harness.url)));
    assert.equal(client.getProtocolEra(), 'modern');
    assert.deepEqual(client.getServerVersion(), SERVER_INFO);
    const { tools } = await client.listTools();
    assert.ok(tools.some((tool) => tool.name === 'echo'));
    assert.equal(textOf(await client.callTool({ name: 'echo', arguments: { text: 'modern' } })), 'modern');
    const progress: number[] = [];
    const progressed = await client.callTool(
      { name: 'progress', arguments: {} },
      { onprogress: (update) => progress.push(update.progress) },
    );
    assert.equal(textOf(progressed), 'progressed');
    assert.deepEqual(progress, [1, 2]);
    client.setRequestHandler('elicitation/create', async () => ({
      action: 'accept',
      content: { name: 'Ada' },
    }));
    assert.equal(textOf(await client.callTool({ name: 'ask-name', arguments: {} })), 'Hello Ada');
    const failed = await client.callTool({ name: 'fail', arguments: {} });
    assert.equal(failed.isError, true);
    assert.equal(textOf(failed), 'Internal error');
    await client.close();
  });

  it('serves the v2 client in its default mode (2025 session), including DELETE on close', async () => {
    const client = new ClientV2({ name: 'v2-default', version: '2.0.0' });
    const transport = new TransportV2(new URL(harness.url));
    await client.connect(transport);
    assert.equal(client.getProtocolEra(), 'legacy');
    assert.ok(transport.sessionId);
    assert.equal(textOf(await client.callTool({ name: 'echo', arguments: { text: 'v2' } })), 'v2');
    const sessionId = transport.sessionId!;
    await transport.terminateSession();
    await client.close();
    const afterDelete = await fetch(harness.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-session-id': sessionId,
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'ping' }),
    });
    assert.equal(afterDelete.status, 404, 'a deleted session is gone');
  });

  it('serves the v1 client: tools, progress, elicitation round trip, GET stream with list-changed', async () => {
    const client = new ClientV1({ name: 'v1', version: '1.0.0' }, { capabilities: { elicitation: {} } });
    const transport = new TransportV1(new URL(harness.url));
    await client.connect(transport);
    assert.ok(transport.sessionId);
    assert.equal(client.getServerVersion()?.name, SERVER_INFO.name);
    const { tools } = await client.listTools();
    assert.ok(tools.some((tool) => tool.name === 'progress'));
    const progress: number[] = [];
    await client.callTool({ name: 'progress', arguments: {} }, undefined, {
      onprogress: (update) => progress.push(update.progress),
    });
    assert.deepEqual(progress, [1, 2]);
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      assert.equal(request.params.message, 'What is your name?');
      return { action: 'accept', content: { name: 'Grace' } };
    });
    assert.equal(textOf(await client.callTool({ name: 'ask-name', arguments: {} })), 'Hello Grace');
    let changed = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      changed++;
    });
    // The v1 client opens the GET stream after initialization; give it a moment to attach.
    const bus = harness.app.get<ServerEventBus>(MCP_CHANGE_BUS);
    await waitUntil(() => {
      bus.publish({ kind: 'tools_list_changed' });
      return changed > 0;
    });
    await transport.terminateSession();
    await client.close();
  });
});
