import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type AuthoringApp,
  connectModern,
  connectV1,
  startApp,
  textOf,
} from './support/authoring-harness.js';

describe('decorated tools (DTO and zod schemas, output schemas)', () => {
  let app: AuthoringApp;
  before(async () => {
    app = await startApp();
  });
  after(() => app.close());

  it('lists a DTO tool with the JSON Schema derived from class-validator, and its wire metadata', async () => {
    const client = await connectModern(app.service);
    const { tools } = await client.listTools();
    const create = tools.find((tool) => tool.name === 'create_note')!;
    assert.equal(create.title, 'Create a note');
    assert.equal(create.description, 'Stores a note');
    assert.equal(create.inputSchema.type, 'object');
    const properties = create.inputSchema.properties as Record<string, Record<string, unknown>>;
    assert.deepEqual(properties['title'], { type: 'string', minLength: 1 });
    assert.deepEqual(properties['tags'], { type: 'array', items: { type: 'string' } });
    assert.deepEqual(create.inputSchema.required, ['title']);
    assert.equal(create.outputSchema?.type, 'object');
    assert.deepEqual(create.annotations, { idempotentHint: false });
    assert.deepEqual(create.icons, [{ src: 'https://example.com/note.png', mimeType: 'image/png' }]);
    assert.deepEqual(create._meta, { 'example.com/category': 'notes' });
    const search = tools.find((tool) => tool.name === 'search_notes')!;
    const query = (search.inputSchema.properties as Record<string, Record<string, unknown>>)['query']!;
    assert.equal(query['description'], 'Words to find');
    assert.equal(query['minLength'], 2);
    const bare = tools.find((tool) => tool.name === 'bracketed')!;
    assert.deepEqual(bare.inputSchema, { type: 'object', properties: {} });
    await client.close();
  });

  it('calls a DTO tool and returns structuredContent matching the output schema', async () => {
    const client = await connectModern(app.service);
    const result = await client.callTool({
      name: 'create_note',
      arguments: { title: 'Taxes', tags: ['admin'] },
    });
    assert.equal(result.isError, undefined);
    assert.deepEqual(result.structuredContent, { id: 2, title: 'Taxes', tags: ['admin'] });
    assert.deepEqual(JSON.parse(textOf(result)), { id: 2, title: 'Taxes', tags: ['admin'] });
    await client.close();
  });

  it('reports DTO validation failures as tool errors a model can act on, nested paths included', async () => {
    const client = await connectModern(app.service);
    const wrongType = await client.callTool({ name: 'create_note', arguments: { title: 7 } });
    assert.equal(wrongType.isError, true);
    assert.equal(
      textOf(wrongType),
      'Invalid arguments for tool create_note: title must be longer than or equal to 1 characters; title must be a string',
    );
    const nested = await client.callTool({
      name: 'create_note',
      arguments: { title: 'x', author: { name: 3 } },
    });
    assert.equal(textOf(nested), 'Invalid arguments for tool create_note: author.name must be a string');
    await client.close();
  });

  it('validates zod input with defaults applied and reports zod issues with their path', async () => {
    const client = await connectModern(app.service);
    const ok = await client.callTool({ name: 'search_notes', arguments: { query: 'Shop' } });
    assert.equal(textOf(ok), 'Shopping (limit 5, era modern)');
    const bad = await client.callTool({ name: 'search_notes', arguments: { query: 'S', limit: 'many' } });
    assert.equal(bad.isError, true);
    assert.match(textOf(bad), /^Invalid arguments for tool search_notes: query: .*2.*; limit: .*number/);
    await client.close();
  });

  it('serves the same tools to a v1 client over a 2025-era session', async () => {
    const client = await connectV1(app.service);
    const result = await client.callTool({ name: 'create_note', arguments: { title: 'From v1' } });
    assert.deepEqual(result.structuredContent, { id: 3, title: 'From v1', tags: [] });
    const search = await client.callTool({ name: 'search_notes', arguments: { query: 'From' } });
    assert.equal(textOf(search), 'From v1 (limit 5, era legacy)');
    await client.close();
  });

  it('passes a CallToolResult through and hides unexpected errors', async () => {
    const client = await connectModern(app.service);
    const raw = await client.callTool({ name: 'raw_result', arguments: {} });
    assert.deepEqual(raw.content, [{ type: 'text', text: 'raw' }]);
    const crash = await client.callTool({ name: 'crash', arguments: {} });
    assert.equal(crash.isError, true);
    assert.equal(textOf(crash), 'Internal error');
    await client.close();
  });
});
