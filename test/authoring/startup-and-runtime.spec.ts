import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { McpRegistry } from 'nest-mcp';
import { z } from 'zod';
import {
  type AuthoringApp,
  connectModern,
  connectV1,
  startApp,
  textOf,
  waitUntil,
} from './support/authoring-harness.js';
import { DuplicateModule, RequestScopedModule } from './support/notes.fixture.js';

describe('runtime registration through McpRegistry', () => {
  let app: AuthoringApp;
  before(async () => {
    app = await startApp();
  });
  after(() => app.close());

  it('adds and removes a tool at runtime, emitting tools/list_changed to a v1 session', async () => {
    const client = await connectV1(app.service);
    let changes = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      changes += 1;
    });
    const registry = app.app.get(McpRegistry);
    registry.addTool(
      { name: 'runtime_echo', description: 'Added at runtime', input: z.object({ text: z.string() }) },
      (args: { text: string }, ctx) => `${args.text} via ${ctx.transport}`,
    );
    await waitUntil(() => changes === 1);
    const { tools } = await client.listTools();
    const added = tools.find((tool) => tool.name === 'runtime_echo')!;
    assert.equal(added.description, 'Added at runtime');
    assert.deepEqual((added.inputSchema as { required?: string[] }).required, ['text']);
    assert.equal(
      textOf(await client.callTool({ name: 'runtime_echo', arguments: { text: 'hi' } })),
      'hi via memory',
    );
    const invalid = await client.callTool({ name: 'runtime_echo', arguments: {} });
    assert.equal(invalid.isError, true);
    assert.match(textOf(invalid), /^Invalid arguments for tool runtime_echo: text: /);

    assert.throws(() => registry.addTool({ name: 'runtime_echo' }, () => 'again'), /already registered/);
    assert.equal(registry.removeTool('runtime_echo'), true);
    await waitUntil(() => changes === 2);
    assert.equal(registry.removeTool('runtime_echo'), false);
    const remaining = await client.listTools();
    assert.ok(!remaining.tools.some((tool) => tool.name === 'runtime_echo'));
    await client.close();
  });

  it('adds a resource template and a prompt with completers at runtime', async () => {
    const registry = app.app.get(McpRegistry);
    registry.addResourceTemplate(
      {
        uriTemplate: 'runtime://colors/{name}',
        name: 'color',
        completions: { name: (value) => ['red', 'rose'].filter((c) => c.startsWith(value)) },
      },
      ({ variables }) => `color ${String(variables['name'])}`,
    );
    registry.addPrompt(
      {
        name: 'runtime_prompt',
        arguments: [{ name: 'who', required: true }],
        completions: { who: () => ['world'] },
      },
      (args: { who: string }) => `Hello ${args.who}`,
    );
    const client = await connectModern(app.service);
    const read = await client.readResource({ uri: 'runtime://colors/red' });
    assert.equal((read.contents[0] as { text: string }).text, 'color red');
    const colors = await client.complete({
      ref: { type: 'ref/resource', uri: 'runtime://colors/{name}' },
      argument: { name: 'name', value: 'r' },
    });
    assert.deepEqual(colors.completion.values, ['red', 'rose']);
    const prompt = await client.getPrompt({ name: 'runtime_prompt', arguments: { who: 'Ada' } });
    assert.deepEqual(prompt.messages[0]!.content, { type: 'text', text: 'Hello Ada' });
    assert.equal(registry.removeResourceTemplate('runtime://colors/{name}'), true);
    assert.equal(registry.removePrompt('runtime_prompt'), true);
    await assert.rejects(
      client.getPrompt({ name: 'runtime_prompt', arguments: { who: 'Ada' } }),
      /not found/,
    );
    await client.close();
  });
});

describe('start-up checks', () => {
  it('warns about a request-scoped provider with MCP handlers and does not serve them', async () => {
    const app = await startApp([RequestScopedModule]);
    try {
      assert.ok(
        app.logger.warnings.some(
          (line) =>
            line.includes('RequestScopedTools') &&
            line.includes('perRequest') &&
            line.includes('request-scoped'),
        ),
        `warnings: ${JSON.stringify(app.logger.warnings)}`,
      );
      const client = await connectModern(app.service);
      const { tools } = await client.listTools();
      assert.ok(!tools.some((tool) => tool.name === 'per_request'));
      assert.ok(tools.some((tool) => tool.name === 'create_note'));
      await client.close();
    } finally {
      await app.close();
    }
  });

  it('fails start-up on a duplicate tool name, naming both declarations', async () => {
    await assert.rejects(
      startApp([DuplicateModule]),
      /Duplicate MCP tool 'create_note': declared by NotesTools\.create and by DuplicateTools\.again/,
    );
  });
});
