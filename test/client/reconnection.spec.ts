import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type McpConnectionEvent,
  McpFallbackClient,
  type McpFallbackClientOptions,
} from '../../libs/mcp/src/client/node.js';
import { startExampleServer, type ExampleServer } from './support/example-server.js';
import { Middlebox, type MiddleboxBehaviour } from './support/middlebox.js';

const FAST: McpFallbackClientOptions = {
  proofTimeoutMs: 1_000,
  reconnect: { initialDelayMs: 100, maxAttempts: 5 },
};

/** Resolves with the first event of `type` (after `since` events) within 5 s. */
function nextEvent<T extends McpConnectionEvent['type']>(
  events: McpConnectionEvent[],
  mcp: McpFallbackClient,
  type: T,
): Promise<Extract<McpConnectionEvent, { type: T }>> {
  const seen = events.length;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ${type} event; got ${JSON.stringify(events)}`)),
      5_000,
    );
    const check = (): void => {
      const found = events.slice(seen).find((event) => event.type === type);
      if (found === undefined) return;
      clearTimeout(timer);
      off();
      resolve(found as Extract<McpConnectionEvent, { type: T }>);
    };
    const off = mcp.on(() => queueMicrotask(check));
  });
}

describe('fallback client reconnection after the connection drops', () => {
  let server: ExampleServer;
  let toolSeq = 0;
  before(async () => {
    server = await startExampleServer();
  });
  after(() => server.close());

  async function connected(behaviour: MiddleboxBehaviour, options: McpFallbackClientOptions) {
    const box = await Middlebox.start(server.origin, behaviour);
    const events: McpConnectionEvent[] = [];
    const mcp = new McpFallbackClient(`${box.origin}/mcp`, {
      ...FAST,
      ...options,
      onEvent: (e) => events.push(e),
    });
    const seen = { listChanged: 0 };
    mcp.client.setNotificationHandler('notifications/tools/list_changed', () => void seen.listChanged++);
    await mcp.connect();
    const waitListChanged = async (): Promise<void> => {
      const earlier = seen.listChanged;
      server.addTool(`reconnect_${toolSeq++}`);
      const deadline = Date.now() + 2_500;
      while (seen.listChanged === earlier && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      assert.ok(seen.listChanged > earlier, 'list_changed arrived');
    };
    return { box, events, mcp, waitListChanged };
  }

  const paths: {
    name: string;
    behaviour: MiddleboxBehaviour;
    options: McpFallbackClientOptions;
    transport: string;
    resumed: boolean;
  }[] = [
    {
      name: 'WebSocket (2026): a new socket',
      behaviour: { sse: '502' },
      options: {},
      transport: 'websocket',
      resumed: false,
    },
    {
      name: 'WebSocket (2025): a new socket and session',
      behaviour: { sse: '502' },
      options: { versionNegotiation: 'legacy' },
      transport: 'websocket',
      resumed: false,
    },
    {
      name: 'Streamable HTTP (2026): the listen stream re-opened',
      behaviour: {},
      options: {},
      transport: 'streamable-http',
      resumed: false,
    },
    {
      name: 'Streamable HTTP (2025): the GET stream resumed with Last-Event-ID',
      behaviour: {},
      options: { versionNegotiation: 'legacy' },
      transport: 'streamable-http',
      resumed: true,
    },
    {
      name: 'polling: the next poll resumes from its cursor',
      behaviour: { sse: '502', upgrade: 'refuse' },
      options: {},
      transport: 'polling',
      resumed: true,
    },
  ];

  for (const path of paths) {
    it(`${path.name}; reported, and tools and notifications work again`, async () => {
      const { box, events, mcp, waitListChanged } = await connected(path.behaviour, path.options);
      try {
        assert.equal(mcp.transportName, path.transport);
        // An event on the stream first, so there is something to resume after.
        await waitListChanged();
        const reconnected = nextEvent(events, mcp, 'reconnected');
        box.drop();
        const event = await reconnected;
        assert.equal(event.transport, path.transport);
        assert.equal(event.resumed, path.resumed, event.detail);
        const result = await mcp.callTool('search_notes', { query: 'Welcome' });
        assert.equal((result.structuredContent as { notes: unknown[] }).notes.length, 1);
        await waitListChanged();
      } finally {
        await mcp.close();
        await box.close();
      }
    });
  }

  it('gives up after its tries when the server is gone, and says so', async () => {
    const box = await Middlebox.start(server.origin, { sse: '502' });
    const events: McpConnectionEvent[] = [];
    const mcp = new McpFallbackClient(`${box.origin}/mcp`, {
      ...FAST,
      reconnect: { initialDelayMs: 20, maxAttempts: 2 },
      timeouts: { 'streamable-http': 500, websocket: 500, polling: 500 },
      onEvent: (e) => events.push(e),
    });
    await mcp.connect();
    const failed = nextEvent(events, mcp, 'reconnect-failed');
    await box.close();
    const event = await failed;
    assert.equal(event.transport, 'websocket');
    assert.equal(mcp.connected, false);
    await mcp.close();
  });
});
