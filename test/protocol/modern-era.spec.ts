import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import type { McpConnection } from 'nest-mcp';
import { type ProtocolHarness, SERVER_INFO, startProtocol, waitUntil } from './support/protocol-harness.js';

type ClientOptions = NonNullable<ConstructorParameters<typeof Client>[1]>;

/** A v2 SDK client pinned to revision 2026-07-28 (`server/discover`, per-request `_meta`). */
async function connectModern(
  harness: ProtocolHarness,
  options: ClientOptions = {},
): Promise<{ client: Client; connection: McpConnection }> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const connection = await harness.service.connect(serverSide, { transport: 'memory' });
  const client = new Client(
    { name: 'v2-modern-client', version: '2.0.0' },
    { ...options, versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  await client.connect(clientSide);
  return { client, connection };
}

function textOf(result: unknown): string {
  return (result as { content: Array<{ text: string }> }).content[0]!.text;
}

const LOG_LEVEL_KEY = 'io.modelcontextprotocol/logLevel';

describe('2026-07-28 era (stateless requests, input-required, listen)', () => {
  let harness: ProtocolHarness;
  before(async () => {
    harness = await startProtocol();
  });
  after(() => harness.close());

  it('is discovered and serves tools, resources, prompts and completions', async () => {
    const { client, connection } = await connectModern(harness);
    assert.equal(client.getProtocolEra(), 'modern');
    assert.equal(connection.era, undefined, 'the server/discover probe leaves the era open');
    assert.deepEqual(client.getServerVersion(), SERVER_INFO);
    assert.equal(client.getServerCapabilities()?.tools?.listChanged, true);
    const { tools } = await client.listTools();
    assert.equal(connection.era, 'modern');
    assert.equal(connection.protocolVersion, '2026-07-28');
    assert.ok(tools.some((tool) => tool.name === 'echo'));
    assert.equal(textOf(await client.callTool({ name: 'echo', arguments: { text: 'modern' } })), 'modern');
    const invalid = await client.callTool({ name: 'echo', arguments: { text: 1 } });
    assert.equal(invalid.isError, true);
    const fixed = await client.readResource({ uri: 'test://fixed' });
    assert.equal((fixed.contents[0] as { text: string }).text, 'fixed content');
    const item = await client.readResource({ uri: 'test://items/7' });
    assert.equal((item.contents[0] as { text: string }).text, 'item 7');
    const { resourceTemplates } = await client.listResourceTemplates();
    assert.equal(resourceTemplates[0]!.uriTemplate, 'test://items/{id}');
    const prompt = await client.getPrompt({ name: 'greet', arguments: { name: 'Lin' } });
    assert.deepEqual(prompt.messages[0]!.content, { type: 'text', text: 'Greet Lin' });
    const completion = await client.complete({
      ref: { type: 'ref/prompt', name: 'greet' },
      argument: { name: 'name', value: '' },
    });
    assert.equal(completion.completion.values.length, 100);
    assert.equal(completion.completion.hasMore, true);
    await client.close();
  });

  it('delivers progress, and log messages only at the level the request asks for', async () => {
    const { client } = await connectModern(harness);
    const progress: number[] = [];
    await client.callTool(
      { name: 'progress', arguments: {} },
      { onprogress: (update) => progress.push(update.progress) },
    );
    assert.deepEqual(progress, [1, 2]);
    const levels: string[] = [];
    client.setNotificationHandler('notifications/message', (notification) => {
      levels.push(notification.params.level);
    });
    await client.callTool({ name: 'log', arguments: {} });
    assert.deepEqual(levels, [], 'no _meta log level: no messages');
    await client.callTool({ name: 'log', arguments: {}, _meta: { [LOG_LEVEL_KEY]: 'info' } });
    assert.deepEqual(levels, ['info', 'error']);
    await client.close();
  });

  it('turns ctx.elicit into input-required rounds the client fulfils', async () => {
    let asked = 0;
    const { client } = await connectModern(harness, { capabilities: { elicitation: { form: {} } } });
    client.setRequestHandler('elicitation/create', async (request) => {
      asked++;
      const schema = (request.params as { requestedSchema?: { properties?: object } }).requestedSchema;
      const property = Object.keys(schema?.properties ?? {})[0]!;
      return { action: 'accept', content: { [property]: property === 'name' ? 'Ada' : 'green' } };
    });
    assert.equal(textOf(await client.callTool({ name: 'ask-name', arguments: {} })), 'Hello Ada');
    assert.equal(textOf(await client.callTool({ name: 'two-questions', arguments: {} })), 'Ada likes green');
    assert.equal(asked, 3);
    await client.close();
  });

  it('acknowledges subscriptions/listen and delivers the events its filter asked for', async () => {
    const { client } = await connectModern(harness);
    const received: Array<{ method: string; subscriptionId: unknown }> = [];
    for (const method of ['notifications/tools/list_changed', 'notifications/resources/updated'] as const) {
      client.setNotificationHandler(method, (notification) => {
        received.push({
          method,
          subscriptionId: (notification.params?._meta as Record<string, unknown> | undefined)?.[
            'io.modelcontextprotocol/subscriptionId'
          ],
        });
      });
    }
    const subscription = await client.listen({
      toolsListChanged: true,
      promptsListChanged: false,
      resourceSubscriptions: ['test://fixed'],
    });
    assert.deepEqual(subscription.honoredFilter, {
      toolsListChanged: true,
      resourceSubscriptions: ['test://fixed'],
    });
    harness.bus.publish({ kind: 'prompts_list_changed' });
    harness.bus.publish({ kind: 'resource_updated', uri: 'test://elsewhere' });
    harness.bus.publish({ kind: 'tools_list_changed' });
    harness.bus.publish({ kind: 'resource_updated', uri: 'test://fixed' });
    await waitUntil(() => received.length === 2);
    assert.deepEqual(
      received.map((entry) => entry.method),
      ['notifications/tools/list_changed', 'notifications/resources/updated'],
    );
    assert.ok(received.every((entry) => entry.subscriptionId !== undefined));
    await subscription.close();
    assert.equal(await subscription.closed, 'local');
    harness.bus.publish({ kind: 'tools_list_changed' });
    await client.listTools();
    assert.equal(received.length, 2);
    await client.close();
  });

  it('ends open listens gracefully on shutdown and aborts handlers when the connection closes', async () => {
    const { client, connection } = await connectModern(harness);
    const subscription = await client.listen({ toolsListChanged: true });
    await connection.shutdown(100);
    assert.equal(await subscription.closed, 'graceful');

    const second = await connectModern(harness);
    void second.client.callTool({ name: 'slow', arguments: {} }).catch(() => undefined);
    await waitUntil(() => second.connection.inFlight === 1);
    await second.client.close();
    assert.equal(await harness.catalog.slowAborted, 'connection closed');
  });
});
