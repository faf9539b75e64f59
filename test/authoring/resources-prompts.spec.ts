import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ProtocolError } from '@modelcontextprotocol/client';
import { type AuthoringApp, connectModern, connectV1, startApp } from './support/authoring-harness.js';

describe('decorated resources, templates, prompts and completions', () => {
  let app: AuthoringApp;
  before(async () => {
    app = await startApp();
  });
  after(() => app.close());

  it('lists and reads a fixed resource (JSON value) and a binary one (base64 blob)', async () => {
    const client = await connectModern(app.service);
    const { resources } = await client.listResources();
    assert.deepEqual(
      resources.find((resource) => resource.uri === 'notes://index'),
      { uri: 'notes://index', name: 'notes-index', title: 'Index', mimeType: 'application/json' },
    );
    const index = await client.readResource({ uri: 'notes://index' });
    assert.deepEqual(index.contents, [
      { uri: 'notes://index', mimeType: 'application/json', text: '[{"id":1,"title":"Shopping"}]' },
    ]);
    const logo = await client.readResource({ uri: 'notes://logo' });
    assert.deepEqual(logo.contents, [{ uri: 'notes://logo', mimeType: 'image/png', blob: 'AQID+g==' }]);
    await client.close();
  });

  it('reads a template resource with its variables, and a miss is -32602', async () => {
    const client = await connectV1(app.service);
    const { resourceTemplates } = await client.listResourceTemplates();
    assert.deepEqual(resourceTemplates, [
      { uriTemplate: 'notes://notes/{id}', name: 'note', description: 'One note', mimeType: 'text/plain' },
    ]);
    const note = await client.readResource({ uri: 'notes://notes/1' });
    assert.deepEqual(note.contents, [{ uri: 'notes://notes/1', mimeType: 'text/plain', text: 'Shopping' }]);
    await assert.rejects(client.readResource({ uri: 'notes://notes/99' }), (error: { code?: number }) => {
      assert.equal(error.code, -32602);
      return true;
    });
    await client.close();
  });

  it('decodes a percent-encoded variable before the handler sees it: notes://notes/%31 is note 1', async () => {
    const client = await connectModern(app.service);
    const note = await client.readResource({ uri: 'notes://notes/%31' });
    assert.deepEqual(note.contents, [{ uri: 'notes://notes/%31', mimeType: 'text/plain', text: 'Shopping' }]);
    await client.close();
  });

  it('completes a template variable from an @McpCompletion method', async () => {
    const client = await connectModern(app.service);
    const completion = await client.complete({
      ref: { type: 'ref/resource', uri: 'notes://notes/{id}' },
      argument: { name: 'id', value: '1' },
    });
    assert.deepEqual(completion.completion.values, ['1']);
    await client.close();
  });

  it('lists prompt arguments derived from a zod schema and renders the prompt', async () => {
    const client = await connectModern(app.service);
    const { prompts } = await client.listPrompts();
    assert.deepEqual(
      prompts.find((prompt) => prompt.name === 'review_note'),
      {
        name: 'review_note',
        description: 'Review a note',
        arguments: [
          { name: 'title', description: 'Note title', required: true },
          { name: 'tone', required: false },
        ],
      },
    );
    const rendered = await client.getPrompt({
      name: 'review_note',
      arguments: { title: 'Taxes', tone: 'strict' },
    });
    assert.equal(rendered.description, 'Review a note');
    assert.deepEqual(rendered.messages, [
      { role: 'user', content: { type: 'text', text: 'Review "Taxes" in a strict tone' } },
    ]);
    await client.close();
  });

  it('rejects prompt arguments that fail the schema with -32602 naming the field', async () => {
    const client = await connectModern(app.service);
    await assert.rejects(client.getPrompt({ name: 'review_note', arguments: {} }), (error: unknown) => {
      assert.ok(error instanceof ProtocolError);
      assert.equal(error.code, -32602);
      assert.match(error.message, /Invalid arguments for prompt review_note: title: /);
      return true;
    });
    await assert.rejects(client.getPrompt({ name: 'two_step', arguments: {} }), /topic is required/);
    await client.close();
  });

  it('renders a message list with an explicit argument list', async () => {
    const client = await connectV1(app.service);
    const rendered = await client.getPrompt({ name: 'two_step', arguments: { topic: 'budgets' } });
    assert.deepEqual(rendered.messages, [
      { role: 'user', content: { type: 'text', text: 'First, outline budgets' } },
      { role: 'assistant', content: { type: 'text', text: 'Outline ready' } },
    ]);
    await client.close();
  });

  it('completes a prompt argument, seeing the other arguments as context', async () => {
    const client = await connectV1(app.service);
    const plain = await client.complete({
      ref: { type: 'ref/prompt', name: 'review_note' },
      argument: { name: 'tone', value: 'f' },
    });
    assert.deepEqual(plain.completion.values, ['friendly', 'formal']);
    const withContext = await client.complete({
      ref: { type: 'ref/prompt', name: 'review_note' },
      argument: { name: 'tone', value: 'f' },
      context: { arguments: { title: 'Shopping' } },
    });
    assert.deepEqual(withContext.completion.values, ['frugal', 'friendly']);
    await client.close();
  });
});
