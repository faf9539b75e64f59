import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client as ClientV2 } from '@modelcontextprotocol/client';
import { InMemoryTransport as InMemoryTransportV2 } from '@modelcontextprotocol/server';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import {
  ElicitRequestSchema,
  ListRootsRequestSchema,
  LoggingMessageNotificationSchema,
  ResourceUpdatedNotificationSchema,
  ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { McpConnection } from 'nest-mcp';
import { type ProtocolHarness, SERVER_INFO, startProtocol, waitUntil } from './support/protocol-harness.js';

/** A v1 SDK client (the 2025-era `initialize` handshake) connected to the engine in memory. */
async function connectV1(
  harness: ProtocolHarness,
  capabilities: ConstructorParameters<typeof Client>[1] = {},
): Promise<{ client: Client; connection: McpConnection }> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const connection = await harness.service.connect(serverSide, { transport: 'memory' });
  const client = new Client({ name: 'v1-client', version: '1.0.0' }, capabilities);
  await client.connect(clientSide);
  return { client, connection };
}

function textOf(result: unknown): string {
  return (result as { content: Array<{ text: string }> }).content[0]!.text;
}

describe('2025 era (initialize, sessions, server-to-client requests)', () => {
  let harness: ProtocolHarness;
  before(async () => {
    harness = await startProtocol();
  });
  after(() => harness.close());

  it('completes the handshake with the v1 client and serves tools', async () => {
    const { client, connection } = await connectV1(harness);
    assert.equal(connection.era, 'legacy');
    assert.equal(connection.protocolVersion, '2025-11-25');
    assert.deepEqual(client.getServerVersion(), SERVER_INFO);
    assert.equal(client.getInstructions(), 'Test instructions');
    const { tools } = await client.listTools();
    assert.ok(tools.some((tool) => tool.name === 'echo'));
    const echoed = await client.callTool({ name: 'echo', arguments: { text: 'hi' } });
    assert.equal(textOf(echoed), 'hi');
    await client.close();
  });

  it('reports argument and handler failures as tool error results with safe messages', async () => {
    const { client } = await connectV1(harness);
    const invalid = await client.callTool({ name: 'echo', arguments: { text: 42 } });
    assert.equal(invalid.isError, true);
    assert.equal(textOf(invalid), 'Invalid arguments: text must be a string');
    const crashed = await client.callTool({ name: 'fail', arguments: {} });
    assert.equal(crashed.isError, true);
    assert.equal(textOf(crashed), 'Internal error');
    const deliberate = await client.callTool({ name: 'tool-error', arguments: {} });
    assert.deepEqual(deliberate.content, [{ type: 'text', text: 'City not found: Atlantis' }]);
    const forbidden = await client.callTool({ name: 'forbidden', arguments: {} });
    assert.equal(forbidden.isError, true);
    assert.equal(textOf(forbidden), 'Forbidden resource');
    await client.close();
  });

  it('serves fixed resources, templates, prompts and completions', async () => {
    const { client } = await connectV1(harness);
    const { resources } = await client.listResources();
    assert.deepEqual(
      resources.map((resource) => resource.uri),
      ['test://fixed'],
    );
    const { resourceTemplates } = await client.listResourceTemplates();
    assert.deepEqual(
      resourceTemplates.map((template) => template.uriTemplate),
      ['test://items/{id}'],
    );
    const fixed = await client.readResource({ uri: 'test://fixed' });
    assert.equal((fixed.contents[0] as { text: string }).text, 'fixed content');
    const item = await client.readResource({ uri: 'test://items/42' });
    assert.equal((item.contents[0] as { text: string }).text, 'item 42');
    const { prompts } = await client.listPrompts();
    assert.deepEqual(
      prompts.map((prompt) => prompt.name),
      ['greet'],
    );
    const prompt = await client.getPrompt({ name: 'greet', arguments: { name: 'Ada' } });
    assert.deepEqual(prompt.messages[0]!.content, { type: 'text', text: 'Greet Ada' });
    await assert.rejects(
      client.getPrompt({ name: 'greet', arguments: {} }),
      /Invalid arguments for prompt greet/,
    );
    const many = await client.complete({
      ref: { type: 'ref/prompt', name: 'greet' },
      argument: { name: 'name', value: '' },
    });
    assert.equal(many.completion.values.length, 100);
    assert.equal(many.completion.total, 150);
    assert.equal(many.completion.hasMore, true);
    const ids = await client.complete({
      ref: { type: 'ref/resource', uri: 'test://items/{id}' },
      argument: { name: 'id', value: 'ap' },
    });
    assert.deepEqual(ids.completion, { values: ['apple', 'apricot'], total: 2, hasMore: false });
    await client.close();
  });

  it('delivers progress notifications to the caller', async () => {
    const { client } = await connectV1(harness);
    const progress: Array<{ progress: number; total?: number; message?: string }> = [];
    const result = await client.callTool({ name: 'progress', arguments: {} }, undefined, {
      onprogress: (update) => progress.push(update),
    });
    assert.equal(textOf(result), 'progressed');
    assert.deepEqual(progress, [
      { progress: 1, total: 2, message: 'halfway' },
      { progress: 2, total: 2, message: 'done' },
    ]);
    await client.close();
  });

  it('filters log messages by the level set with logging/setLevel', async () => {
    const { client } = await connectV1(harness);
    const levels: string[] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
      levels.push(notification.params.level);
    });
    await client.setLoggingLevel('info');
    await client.callTool({ name: 'log', arguments: {} });
    assert.deepEqual(levels, ['info', 'error']);
    await client.setLoggingLevel('error');
    await client.callTool({ name: 'log', arguments: {} });
    assert.deepEqual(levels, ['info', 'error', 'error']);
    await client.close();
  });

  it('aborts the handler signal when the client cancels the request', async () => {
    const { client, connection } = await connectV1(harness);
    const controller = new AbortController();
    const call = client.callTool({ name: 'slow', arguments: {} }, undefined, { signal: controller.signal });
    await waitUntil(() => connection.inFlight === 1);
    controller.abort('user gave up');
    await assert.rejects(call);
    assert.equal(await harness.catalog.slowAborted, 'user gave up');
    await waitUntil(() => connection.inFlight === 0);
    await client.close();
  });

  it('asks the client with elicitation/create and roots/list server requests', async () => {
    const { client } = await connectV1(harness, { capabilities: { elicitation: {}, roots: {} } });
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      assert.equal(request.params.message, 'What is your name?');
      return { action: 'accept', content: { name: 'Ada' } };
    });
    client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: [{ uri: 'file:///work' }] }));
    const greeted = await client.callTool({ name: 'ask-name', arguments: {} });
    assert.equal(textOf(greeted), 'Hello Ada');
    const roots = await client.callTool({ name: 'roots', arguments: {} });
    assert.equal(textOf(roots), 'file:///work');
    await client.close();
  });

  it('forwards resource updates for subscribed URIs and list changes from the bus', async () => {
    const { client } = await connectV1(harness);
    const updated: string[] = [];
    let toolsChanged = 0;
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (notification) => {
      updated.push(notification.params.uri);
    });
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      toolsChanged++;
    });
    await client.subscribeResource({ uri: 'test://fixed' });
    harness.bus.publish({ kind: 'resource_updated', uri: 'test://other' });
    harness.bus.publish({ kind: 'resource_updated', uri: 'test://fixed' });
    harness.bus.publish({ kind: 'tools_list_changed' });
    await waitUntil(() => updated.length === 1 && toolsChanged === 1);
    await client.unsubscribeResource({ uri: 'test://fixed' });
    harness.bus.publish({ kind: 'resource_updated', uri: 'test://fixed' });
    await client.ping();
    assert.deepEqual(updated, ['test://fixed']);
    await client.close();
  });

  it('serves the v2 client in its default (2025) mode', async () => {
    const [clientSide, serverSide] = InMemoryTransportV2.createLinkedPair();
    const connection = await harness.service.connect(serverSide, { transport: 'memory' });
    const client = new ClientV2({ name: 'v2-client', version: '2.0.0' });
    await client.connect(clientSide);
    assert.equal(client.getProtocolEra(), 'legacy');
    assert.equal(connection.era, 'legacy');
    const result = await client.callTool({ name: 'echo', arguments: { text: 'v2' } });
    assert.deepEqual(result.content, [{ type: 'text', text: 'v2' }]);
    await client.close();
  });
});
