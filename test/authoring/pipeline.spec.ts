import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  type AuthoringApp,
  connectModern,
  connectV1,
  startApp,
  textOf,
} from './support/authoring-harness.js';
import { observed } from './support/notes.fixture.js';

const EDITOR = { id: 'ada', roles: ['editor'] };
const READER = { id: 'bob', roles: ['reader'] };

describe('the Nest pipeline around MCP handlers (guards, pipes, interceptors, filters)', () => {
  let app: AuthoringApp;
  before(async () => {
    app = await startApp();
  });
  beforeEach(() => observed.reset());
  after(() => app.close());

  it('applies a method-level guard that sees type mcp and the principal, and refuses with its message', async () => {
    const reader = await connectModern(app.service, READER);
    const refused = await reader.callTool({ name: 'delete_note', arguments: { id: 1 } });
    assert.equal(refused.isError, true);
    assert.equal(textOf(refused), 'Editors only');
    const editor = await connectV1(app.service, EDITOR);
    const allowed = await editor.callTool({ name: 'delete_note', arguments: { id: 1 } });
    assert.equal(textOf(allowed), 'deleted 1');
    assert.deepEqual(observed.guardTypes, ['mcp', 'mcp']);
    assert.deepEqual(observed.principals, [READER, EDITOR]);
    await reader.close();
    await editor.close();
  });

  it('applies a class-level guard; a guard returning false is a Forbidden tool error', async () => {
    const client = await connectModern(app.service);
    const refused = await client.callTool({ name: 'polite_hello', arguments: {} });
    assert.equal(refused.isError, true);
    assert.equal(textOf(refused), 'Forbidden resource');
    const allowed = await client.callTool({ name: 'polite_hello', arguments: { please: true } });
    assert.equal(textOf(allowed), 'hello, kindly');
    assert.deepEqual(observed.guardTypes, ['mcp', 'mcp']);
    await client.close();
  });

  it('runs a parameter pipe on @McpArgs(property, Pipe)', async () => {
    const client = await connectModern(app.service);
    assert.equal(textOf(await client.callTool({ name: 'shout', arguments: { text: 'quiet' } })), 'QUIET');
    const refused = await client.callTool({ name: 'shout', arguments: { text: 5 } });
    assert.equal(refused.isError, true);
    assert.equal(textOf(refused), 'text must be text');
    await client.close();
  });

  it('runs the global ValidationPipe (transform) on the typed @McpArgs() parameter', async () => {
    const client = await connectModern(app.service);
    const transformed = await client.callTool({ name: 'count_up', arguments: { count: '4' } });
    assert.equal(textOf(transformed), 'true number 5');
    const rejected = await client.callTool({ name: 'count_up', arguments: { count: 40 } });
    assert.equal(rejected.isError, true);
    // The pipe's own messages, worded like the tool's own argument check (not "Bad Request Exception").
    assert.equal(textOf(rejected), 'Invalid arguments for tool count_up: count must not be greater than 10');
    await client.close();
  });

  it('lets an interceptor change the result', async () => {
    const client = await connectModern(app.service);
    assert.equal(
      textOf(await client.callTool({ name: 'bracketed', arguments: {} })),
      '[bracketed:mcp] plain',
    );
    await client.close();
  });

  it('lets an exception filter map an error into a tool error', async () => {
    const client = await connectModern(app.service);
    const result = await client.callTool({ name: 'edit_locked', arguments: { id: 9 } });
    assert.equal(result.isError, true);
    assert.equal(textOf(result), 'Note 9 is locked (mcp): someone else is editing');
    await client.close();
  });

  it('discovers tools on a controller of a second feature module', async () => {
    const client = await connectModern(app.service);
    const stats = await client.callTool({ name: 'stats', arguments: {} });
    assert.deepEqual(JSON.parse(textOf(stats)), { modules: 2 });
    await client.close();
  });

  it('keeps expected tool errors out of the error log; unexpected ones are logged once', async () => {
    const client = await connectModern(app.service);
    const errorsBefore = app.logger.errors.length;
    await client.callTool({ name: 'shout', arguments: { text: 5 } });
    await client.callTool({ name: 'delete_note', arguments: { id: 1 } });
    assert.equal(app.logger.errors.length, errorsBefore);
    await client.callTool({ name: 'crash', arguments: {} });
    const logged = app.logger.errors.slice(errorsBefore);
    assert.equal(logged.length, 1, `logged once, not twice: ${JSON.stringify(logged)}`);
    assert.match(logged[0]!, /secret internal detail/);
    await client.close();
  });
});
