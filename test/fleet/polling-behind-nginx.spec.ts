import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { McpFallbackClient } from '../../libs/mcp/src/client/node.js';
import { EDITOR_TOKEN, ExampleFleet } from './support/example-fleet.js';
import { deleteKeys, SHARED_REDIS_URL, testKeyPrefix } from './support/redis-server.js';
import { RawChannel } from './support/session-http.js';

const EDITOR = { authorization: `Bearer ${EDITOR_TOKEN}` };
const MODERN_META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': {},
  'io.modelcontextprotocol/clientInfo': { name: 'raw-polling', version: '1' },
};

describe('polling channels on three example instances on one Redis behind a round-robin nginx', () => {
  const prefix = testKeyPrefix('polling');
  let fleet: ExampleFleet;
  let direct: string[];

  before(async () => {
    fleet = await ExampleFleet.start(SHARED_REDIS_URL, prefix);
    direct = fleet.instances.map((instance) => instance.url);
  });
  after(async () => {
    await fleet?.stop();
    await deleteKeys(SHARED_REDIS_URL, prefix);
  });

  it('opens on A, takes a 2026 request on B, answers the poll on C', async () => {
    const [a, b, c] = direct as [string, string, string];
    const channel = await RawChannel.open(a);
    const sent = await channel.send(b, {
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'search_notes', arguments: { query: 'Welcome' }, _meta: MODERN_META },
    });
    assert.equal(sent.status, 202, JSON.stringify(sent.body));
    const [answer] = await channel.pollUntil([c], (message) => message.id === 1);
    assert.equal(answer.result.isError, undefined, JSON.stringify(answer));
    // The acknowledged answer is never handed out again, on any instance.
    for (const url of [a, b]) {
      const again = await fetch(url, {
        headers: {
          'mcp-transport': 'polling',
          'mcp-channel-id': channel.channelId,
          'last-event-id': String(channel.cursor),
          accept: 'application/json',
        },
        signal: AbortSignal.timeout(1_000),
      }).catch(() => undefined);
      // A parked poll (nothing queued) is cut by the timeout: nothing came twice.
      if (again !== undefined) assert.deepEqual((await again.json()).events, []);
    }
    assert.equal(await channel.close(b), 204);
    assert.equal((await channel.poll(c)).status, 404, 'closed on B, gone on C');
  });

  it('serves a 2025 handshake and an elicitation round whose answer lands on another instance', async () => {
    const [a, b, c] = direct as [string, string, string];
    const channel = await RawChannel.open(c);
    await channel.send(a, {
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: {
        protocolVersion: '2025-11-25',
        capabilities: { elicitation: {} },
        clientInfo: { name: 'raw', version: '1' },
      },
    });
    const [initialized] = await channel.pollUntil([b], (message) => message.id === 0);
    assert.equal(initialized.result.protocolVersion, '2025-11-25');
    await channel.send(c, { jsonrpc: '2.0', method: 'notifications/initialized' });
    assert.equal(
      (
        await channel.send(b, {
          jsonrpc: '2.0',
          id: 1,
          method: 'tools/call',
          params: { name: 'draft_note', arguments: {} },
        })
      ).status,
      202,
    );
    const title = (await channel.pollUntil([a], (message) => message.method === 'elicitation/create')).at(-1);
    assert.equal(
      (
        await channel.send(c, {
          jsonrpc: '2.0',
          id: title.id,
          result: { action: 'accept', content: { title: 'Polled' } },
        })
      ).status,
      202,
    );
    const body = (await channel.pollUntil([a, c], (message) => message.method === 'elicitation/create')).at(
      -1,
    );
    await channel.send(a, {
      jsonrpc: '2.0',
      id: body.id,
      result: { action: 'accept', content: { body: 'over three instances' } },
    });
    const answer = (await channel.pollUntil([b, c], (message) => message.id === 1)).find(
      (message) => message.id === 1,
    );
    assert.equal(answer.result.structuredContent.title, 'Polled', JSON.stringify(answer));
  });

  it('binds the channel to its opener on every instance', async () => {
    const channel = await RawChannel.open(direct[0]!, EDITOR);
    const stranger = await fetch(direct[1]!, {
      headers: {
        'mcp-transport': 'polling',
        'mcp-channel-id': channel.channelId,
        accept: 'application/json',
      },
    });
    assert.equal(stranger.status, 404);
    assert.equal((await channel.poll(direct[2]!)).status, 200, 'the opener polls anywhere');
  });

  for (const era of ['legacy', 'auto'] as const) {
    for (const transport of ['streamable-http', 'polling'] as const) {
      it(`serves our fallback client on ${transport} (${era}) through the balancer`, async () => {
        const mcp = new McpFallbackClient(fleet.url, {
          transports: [transport],
          versionNegotiation: era,
          pollTimeoutMs: 2_000,
          reconnect: { enabled: false },
        });
        await mcp.connect();
        assert.equal(mcp.transportName, transport);
        for (let round = 0; round < 4; round++) {
          const found = await mcp.callTool('search_notes', { query: 'Welcome' });
          assert.equal(found.isError, undefined, JSON.stringify(found));
        }
        const progress: number[] = [];
        const summary = await mcp.callTool(
          'summarize_notes',
          {},
          { onprogress: (update) => progress.push(update.progress) },
        );
        assert.equal(summary.isError, undefined);
        assert.ok(progress.length > 0, 'progress reached the client');
        await mcp.close();
      });
    }
  }
});
