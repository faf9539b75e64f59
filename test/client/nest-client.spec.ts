import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Test } from '@nestjs/testing';
import { McpClientModule, McpFallbackClientService } from '../../libs/mcp/src/client/nest.js';
import { startExampleServer, type ExampleServer } from './support/example-server.js';
import { Middlebox } from './support/middlebox.js';

describe('McpClientModule (Nest injectable)', () => {
  let server: ExampleServer;
  let box: Middlebox;
  before(async () => {
    server = await startExampleServer();
    box = await Middlebox.start(server.origin, { sse: '502' });
  });
  after(async () => {
    await box.close();
    await server.close();
  });

  it('connects at init through the fallback, serves tool calls, closes on shutdown', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [McpClientModule.register({ url: `${box.origin}/mcp`, proofTimeoutMs: 1_000 })],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    const mcp = app.get(McpFallbackClientService);
    assert.equal(mcp.transportName, 'websocket');
    assert.equal(mcp.attempts[0]?.ok, false);
    const result = await mcp.callTool('search_notes', { query: 'Welcome' });
    assert.equal((result.structuredContent as { notes: unknown[] }).notes.length, 1);
    await app.close();
  });
});
