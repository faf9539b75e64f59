import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client as ClientV2 } from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import {
  ElicitRequestSchema,
  LoggingMessageNotificationSchema,
  ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { McpMetricsService } from 'nest-mcp';
import { PollingClientTransport } from '../../libs/mcp/src/client/transports/polling-client.transport.js';
import { type PollingHarness, startPolling, textOf, waitUntil } from './support/polling-harness.js';

const LOG_LEVEL_KEY = 'io.modelcontextprotocol/logLevel';

/**
 * The official SDK clients, unmodified, over `PollingClientTransport`: the same handlers
 * answer both protocol eras on a polling channel, with progress and log messages before
 * their result, server requests (2025), input-required rounds and listen events (2026).
 */
describe('Polling transport with the official SDK clients', () => {
  let harness: PollingHarness;
  before(async () => {
    harness = await startPolling();
  });
  after(() => harness.close());

  it('serves the v2 client pinned to 2026-07-28: tools, progress and logs in order, input-required, listen', async () => {
    const client = new ClientV2(
      { name: 'v2-modern-polling', version: '2.0.0' },
      { capabilities: { elicitation: { form: {} } }, versionNegotiation: { mode: { pin: '2026-07-28' } } },
    );
    const transport = new PollingClientTransport(new URL(harness.url));
    await client.connect(transport);
    try {
      assert.equal(client.getProtocolEra(), 'modern');
      assert.ok(transport.channelId);
      const { tools } = await client.listTools();
      assert.ok(tools.some((tool) => tool.name === 'echo'));
      assert.equal(textOf(await client.callTool({ name: 'echo', arguments: { text: 'polled' } })), 'polled');

      const seen: string[] = [];
      const progressed = await client.callTool(
        { name: 'progress', arguments: {} },
        { onprogress: (update) => seen.push(`progress ${update.progress}`) },
      );
      seen.push(textOf(progressed));
      assert.deepEqual(seen, ['progress 1', 'progress 2', 'progressed']);

      const levels: string[] = [];
      client.setNotificationHandler('notifications/message', (notification) => {
        levels.push(notification.params.level);
      });
      const logged = await client.callTool({
        name: 'log',
        arguments: {},
        _meta: { [LOG_LEVEL_KEY]: 'info' },
      });
      levels.push(textOf(logged));
      assert.deepEqual(levels, ['info', 'error', 'logged']);

      let asked = 0;
      client.setRequestHandler('elicitation/create', async (request) => {
        asked++;
        const schema = (request.params as { requestedSchema?: { properties?: object } }).requestedSchema;
        const property = Object.keys(schema?.properties ?? {})[0]!;
        return { action: 'accept', content: { [property]: property === 'name' ? 'Ada' : 'green' } };
      });
      assert.equal(textOf(await client.callTool({ name: 'ask-name', arguments: {} })), 'Hello Ada');
      assert.equal(
        textOf(await client.callTool({ name: 'two-questions', arguments: {} })),
        'Ada likes green',
      );
      assert.equal(asked, 3);

      const changed: string[] = [];
      client.setNotificationHandler('notifications/tools/list_changed', () => {
        changed.push('tools');
      });
      const subscription = await client.listen({ toolsListChanged: true });
      harness.bus.publish({ kind: 'prompts_list_changed' });
      harness.bus.publish({ kind: 'tools_list_changed' });
      await waitUntil(() => changed.length === 1);
      await subscription.close();
      assert.deepEqual(changed, ['tools']);
      const metrics = await harness.app.get(McpMetricsService).registry.metrics();
      assert.match(metrics, /mcp_sessions\{transport="polling",era="modern"\} 1/);
      assert.match(metrics, /mcp_messages_total\{transport="polling",direction="in"\} [1-9]/);
      assert.match(metrics, /mcp_messages_total\{transport="polling",direction="out"\} [1-9]/);
    } finally {
      await client.close();
    }
  });

  it('serves the v2 client in 2025 mode: progress, logs, elicitation server request, list-changed, resource updates', async () => {
    const client = new ClientV2(
      { name: 'v2-legacy-polling', version: '2.0.0' },
      { capabilities: { elicitation: { form: {} } } },
    );
    await client.connect(new PollingClientTransport(new URL(harness.url)));
    try {
      assert.equal(client.getProtocolEra(), 'legacy');
      const seen: string[] = [];
      const progressed = await client.callTool(
        { name: 'progress', arguments: {} },
        { onprogress: (update) => seen.push(`progress ${update.progress}`) },
      );
      seen.push(textOf(progressed));
      assert.deepEqual(seen, ['progress 1', 'progress 2', 'progressed']);

      const levels: string[] = [];
      client.setNotificationHandler('notifications/message', (notification) => {
        levels.push(notification.params.level);
      });
      await client.setLoggingLevel('info');
      levels.push(textOf(await client.callTool({ name: 'log', arguments: {} })));
      assert.deepEqual(levels, ['info', 'error', 'logged']);

      client.setRequestHandler('elicitation/create', async (request) => {
        assert.equal((request.params as { message: string }).message, 'What is your name?');
        return { action: 'accept', content: { name: 'Grace' } };
      });
      assert.equal(textOf(await client.callTool({ name: 'ask-name', arguments: {} })), 'Hello Grace');

      const notified: string[] = [];
      client.setNotificationHandler('notifications/tools/list_changed', () => {
        notified.push('tools');
      });
      client.setNotificationHandler('notifications/resources/updated', (notification) => {
        notified.push(notification.params.uri);
      });
      await client.subscribeResource({ uri: 'test://fixed' });
      harness.bus.publish({ kind: 'tools_list_changed' });
      harness.bus.publish({ kind: 'resource_updated', uri: 'test://other' });
      harness.bus.publish({ kind: 'resource_updated', uri: 'test://fixed' });
      await waitUntil(() => notified.length === 2);
      assert.deepEqual(notified, ['tools', 'test://fixed']);
    } finally {
      await client.close();
    }
  });

  it('serves the v1 client (2025 handshake): tools, progress, logs, elicitation, list-changed', async () => {
    const client = new ClientV1(
      { name: 'v1-polling', version: '1.0.0' },
      { capabilities: { elicitation: {} } },
    );
    await client.connect(new PollingClientTransport(new URL(harness.url)));
    try {
      assert.equal(client.getServerVersion()?.name, 'http-test-server');
      const { tools } = await client.listTools();
      assert.ok(tools.some((tool) => tool.name === 'progress'));
      const seen: string[] = [];
      const progressed = await client.callTool({ name: 'progress', arguments: {} }, undefined, {
        onprogress: (update) => seen.push(`progress ${update.progress}`),
      });
      seen.push(textOf(progressed));
      assert.deepEqual(seen, ['progress 1', 'progress 2', 'progressed']);

      const levels: string[] = [];
      client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
        levels.push(notification.params.level);
      });
      await client.setLoggingLevel('debug');
      levels.push(textOf(await client.callTool({ name: 'log', arguments: {} })));
      assert.deepEqual(levels, ['debug', 'info', 'error', 'logged']);

      client.setRequestHandler(ElicitRequestSchema, async () => ({
        action: 'accept',
        content: { name: 'Lin' },
      }));
      assert.equal(textOf(await client.callTool({ name: 'ask-name', arguments: {} })), 'Hello Lin');

      let changed = 0;
      client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
        changed++;
      });
      harness.bus.publish({ kind: 'tools_list_changed' });
      await waitUntil(() => changed === 1);
    } finally {
      await client.close();
    }
  });

  it('closes the channel on client.close(): the server forgets it', async () => {
    const client = new ClientV2({ name: 'closer', version: '1.0.0' });
    const transport = new PollingClientTransport(new URL(harness.url));
    await client.connect(transport);
    const channelId = transport.channelId!;
    await client.close();
    const answer = await fetch(harness.url, {
      headers: { 'mcp-transport': 'polling', 'mcp-channel-id': channelId, accept: 'application/json' },
    });
    assert.equal(answer.status, 404);
    assert.equal(((await answer.json()) as { error: { code: number } }).error.code, -32001);
  });
});
