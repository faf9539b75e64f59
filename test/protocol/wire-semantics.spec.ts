import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  modernMeta,
  type ProtocolHarness,
  RawPeer,
  SERVER_INFO,
  startProtocol,
} from './support/protocol-harness.js';

const initializeParams = (protocolVersion: string) => ({
  protocolVersion,
  capabilities: {},
  clientInfo: { name: 'raw-peer', version: '0.0.1' },
});

describe('protocol engine on the wire', () => {
  let harness: ProtocolHarness;
  before(async () => {
    harness = await startProtocol({ pageSize: 4, toolCount: 6 });
  });
  after(() => harness.close());

  it('answers a raw non-JSON-RPC value with -32600 and a null id', async () => {
    const peer = await RawPeer.connect(harness.service);
    await peer.send({ hello: 'world' });
    const answer = await peer.waitFor((message) => 'error' in message);
    assert.equal(answer['id'], null);
    assert.equal(answer['error'].code, -32600);
    await peer.send([{ jsonrpc: '2.0', id: 1, method: 'ping' }]);
    assert.equal(peer.received.filter((message) => 'error' in message).length >= 1, true);
  });

  it('answers an unknown method with -32601 and bad params with -32602', async () => {
    const peer = await RawPeer.connect(harness.service);
    await peer.request(0, 'initialize', initializeParams('2025-11-25'));
    const unknown = await peer.request(1, 'tools/explode', {});
    assert.deepEqual(unknown['error'], { code: -32601, message: 'Method not found' });
    const missingName = await peer.request(2, 'tools/call', { arguments: {} });
    assert.equal(missingName['error'].code, -32602);
    assert.match(missingName['error'].message, /name/);
    const unknownTool = await peer.request(3, 'tools/call', { name: 'nope' });
    assert.deepEqual(unknownTool['error'], { code: -32602, message: 'Tool nope not found' });
    const badLevel = await peer.request(4, 'logging/setLevel', { level: 'loud' });
    assert.equal(badLevel['error'].code, -32602);
    const missingResource = await peer.request(5, 'resources/read', { uri: 'test://missing' });
    assert.deepEqual(missingResource['error'], {
      code: -32602,
      message: 'Resource not found: test://missing',
      data: { uri: 'test://missing' },
    });
    const badCursor = await peer.request(6, 'tools/list', { cursor: 'not-a-cursor' });
    assert.equal(badCursor['error'].code, -32602);
  });

  it('negotiates initialize down to a served 2025 revision, or counter-offers the latest', async () => {
    for (const version of ['2025-06-18', '2025-03-26', '2025-11-25']) {
      const peer = await RawPeer.connect(harness.service);
      const answer = await peer.request(1, 'initialize', initializeParams(version));
      assert.equal(answer['result'].protocolVersion, version);
      assert.deepEqual(answer['result'].serverInfo, SERVER_INFO);
      assert.equal(answer['result'].instructions, 'Test instructions');
      assert.equal(peer.connection.era, 'legacy');
      assert.equal(peer.connection.protocolVersion, version);
    }
    const peer = await RawPeer.connect(harness.service);
    const answer = await peer.request(1, 'initialize', initializeParams('1999-01-01'));
    assert.equal(answer['result'].protocolVersion, '2025-11-25');
    assert.deepEqual(answer['result'].capabilities, {
      logging: {},
      completions: {},
      prompts: { listChanged: true },
      resources: { subscribe: true, listChanged: true },
      tools: { listChanged: true },
    });
  });

  it('answers an unsupported 2026-era version with -32022 naming the supported versions', async () => {
    const peer = await RawPeer.connect(harness.service);
    const answer = await peer.request(1, 'tools/list', {
      _meta: modernMeta({ 'io.modelcontextprotocol/protocolVersion': '2099-01-01' }),
    });
    assert.deepEqual(answer['error'], {
      code: -32022,
      message: 'Unsupported protocol version: 2099-01-01',
      data: { supported: ['2026-07-28'], requested: '2099-01-01' },
    });
    assert.equal(peer.connection.era, undefined);
  });

  it('requires the _meta envelope on 2026-era requests and drops 2025-only methods there', async () => {
    const peer = await RawPeer.connect(harness.service, { era: 'modern' });
    const noEnvelope = await peer.request(1, 'tools/list', {});
    assert.equal(noEnvelope['error'].code, -32602);
    assert.match(noEnvelope['error'].message, /_meta envelope/);
    const ping = await peer.request(2, 'ping', { _meta: modernMeta() });
    assert.equal(ping['error'].code, -32601);
    const initialize = await peer.request(3, 'initialize', initializeParams('2025-11-25'));
    assert.equal(initialize['error'].code, -32022);
    assert.deepEqual(initialize['error'].data.supported, ['2026-07-28']);
  });

  it('stamps 2026 results with resultType, cache fields and the server identity', async () => {
    const peer = await RawPeer.connect(harness.service, { era: 'modern' });
    const discover = await peer.request(1, 'server/discover', { _meta: modernMeta() });
    assert.deepEqual(discover['result'].supportedVersions, ['2026-07-28']);
    assert.equal(discover['result'].resultType, 'complete');
    assert.equal(discover['result'].ttlMs, 0);
    assert.equal(discover['result'].cacheScope, 'private');
    assert.deepEqual(discover['result']._meta['io.modelcontextprotocol/serverInfo'], SERVER_INFO);
    const call = await peer.request(2, 'tools/call', {
      name: 'echo',
      arguments: { text: 'x' },
      _meta: modernMeta(),
    });
    assert.equal(call['result'].resultType, 'complete');
    assert.equal('ttlMs' in call['result'], false);
  });

  it('pages lists with opaque cursors of the configured size', async () => {
    const peer = await RawPeer.connect(harness.service);
    await peer.request(0, 'initialize', initializeParams('2025-11-25'));
    const names: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const answer = await peer.request(
        `page-${pages}`,
        'tools/list',
        cursor === undefined ? {} : { cursor },
      );
      const result = answer['result'];
      assert.ok(result.tools.length <= 4);
      names.push(...result.tools.map((tool: { name: string }) => tool.name));
      cursor = result.nextCursor;
      pages++;
    } while (cursor !== undefined);
    assert.equal(names.length, harness.catalog.tools.length);
    assert.equal(new Set(names).size, names.length);
    assert.equal(pages, Math.ceil(harness.catalog.tools.length / 4));
  });

  it('answers server/discover without pinning the era, so initialize can follow', async () => {
    const peer = await RawPeer.connect(harness.service);
    const discover = await peer.request(1, 'server/discover', { _meta: modernMeta() });
    assert.ok(discover['result']);
    assert.equal(peer.connection.era, undefined);
    const initialize = await peer.request(2, 'initialize', initializeParams('2025-06-18'));
    assert.equal(initialize['result'].protocolVersion, '2025-06-18');
    assert.equal(peer.connection.era, 'legacy');
  });

  it('carries answers across rounds in a signed requestState and rejects tampering', async () => {
    const peer = await RawPeer.connect(harness.service, { era: 'modern' });
    const meta = modernMeta({ 'io.modelcontextprotocol/clientCapabilities': { elicitation: {} } });
    const round1 = (
      await peer.request(1, 'tools/call', { name: 'two-questions', arguments: {}, _meta: meta })
    )['result'];
    assert.equal(round1.resultType, 'input_required');
    assert.deepEqual(Object.keys(round1.inputRequests), ['name']);
    assert.equal(typeof round1.requestState, 'string');
    const round2 = (
      await peer.request(2, 'tools/call', {
        name: 'two-questions',
        arguments: {},
        inputResponses: { name: { action: 'accept', content: { name: 'Ada' } } },
        requestState: round1.requestState,
        _meta: meta,
      })
    )['result'];
    assert.deepEqual(Object.keys(round2.inputRequests), ['color']);
    assert.notEqual(round2.requestState, round1.requestState);
    const round3 = (
      await peer.request(3, 'tools/call', {
        name: 'two-questions',
        arguments: {},
        inputResponses: { color: { action: 'accept', content: { color: 'blue' } } },
        requestState: round2.requestState,
        _meta: meta,
      })
    )['result'];
    assert.equal(round3.resultType, 'complete');
    assert.deepEqual(round3.content, [{ type: 'text', text: 'Ada likes blue' }]);
    const tampered = await peer.request(4, 'tools/call', {
      name: 'two-questions',
      arguments: {},
      inputResponses: { color: { action: 'accept', content: { color: 'blue' } } },
      requestState: `${round2.requestState}-TAMPERED`,
      _meta: meta,
    });
    assert.equal(tampered['error'].code, -32602);
    const nullResponses = await peer.request(5, 'tools/call', {
      name: 'two-questions',
      arguments: {},
      inputResponses: null,
      _meta: meta,
    });
    assert.equal(nullResponses['error'].code, -32602);
    const withoutCapability = await peer.request(6, 'tools/call', { name: 'ask-name', _meta: modernMeta() });
    assert.equal(withoutCapability['error'].code, -32021);
  });
});
