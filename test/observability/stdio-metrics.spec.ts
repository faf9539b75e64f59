import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { Test } from '@nestjs/testing';
import { McpMetricsService, McpModule, McpStdioServer } from 'nest-mcp';

function sample(text: string, metric: string, labels: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${metric}{${labels}}`));
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

/** The stdio transport reports its pipe, its session's era and its messages like the others. */
describe('stdio metrics', () => {
  it('counts the open pipe, the session by era and the messages, and releases them on EOF', async () => {
    const module = await Test.createTestingModule({
      imports: [McpModule.forRoot({ serverInfo: { name: 'stdio-metrics', version: '1.0.0' } })],
    }).compile();
    module.useLogger(false);
    const app = await module.init();
    const metrics = app.get(McpMetricsService);
    const input = new PassThrough();
    const output = new PassThrough();
    const lines: string[] = [];
    output.on('data', (chunk: Buffer) => lines.push(...String(chunk).split('\n').filter(Boolean)));
    const served = app.get(McpStdioServer).serve(input, output);
    try {
      input.write(
        `${JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: {
            protocolVersion: '2025-11-25',
            capabilities: {},
            clientInfo: { name: 't', version: '1' },
          },
        })}\n`,
      );
      input.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
      input.write(`${JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' })}\n`);
      while (lines.length < 2) await once(output, 'data');
      const text = await metrics.scrape();
      assert.equal(sample(text, 'mcp_open_connections', 'transport="stdio"'), 1);
      assert.equal(sample(text, 'mcp_sessions', 'transport="stdio",era="legacy"'), 1);
      assert.equal(sample(text, 'mcp_messages_total', 'transport="stdio",direction="in"'), 3);
      assert.equal(sample(text, 'mcp_messages_total', 'transport="stdio",direction="out"'), 2);
    } finally {
      input.end();
      await served;
    }
    const after = await metrics.scrape();
    assert.equal(sample(after, 'mcp_open_connections', 'transport="stdio"'), 0);
    assert.equal(sample(after, 'mcp_sessions', 'transport="stdio",era="legacy"'), 0);
    await app.close();
  });
});
