import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { INestApplication } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { type McpContext, McpRegistry } from 'nest-mcp';
import { McpTestClient, type McpTestEra, textOf } from 'nest-mcp/testing';
import { AppModule } from '../../src/app.module.js';

/**
 * The example app's tools tested the way a user of `nest-mcp/testing` tests theirs: the
 * official SDK client in memory, through guards, validation and the protocol layer, in both eras.
 */
const EDITOR = { name: 'editor', roles: ['editor'] };
const READER = { name: 'reader', roles: ['reader'] };

for (const era of ['2026', '2025'] satisfies McpTestEra[]) {
  describe(`nest-mcp/testing on the example app, era ${era} (TestingModule, never listening)`, () => {
    let moduleRef: TestingModule;
    before(async () => {
      moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
      moduleRef.useLogger(false);
    });
    after(() => moduleRef.close());

    it('speaks the chosen era and lists the example tools', async () => {
      const client = await McpTestClient.connect(moduleRef, { era });
      try {
        assert.equal(client.sdk.getProtocolEra(), era === '2026' ? 'modern' : 'legacy');
        const names = (await client.listTools()).map((tool) => tool.name);
        assert.ok(names.includes('delete_note') && names.includes('create_note'), names.join());
      } finally {
        await client.close();
      }
    });

    it('the guarded tool refuses a reader and lets an editor through', async () => {
      const note = await createNote(moduleRef, era, `guarded ${era}`);
      const reader = await McpTestClient.connect(moduleRef, { era, principal: READER });
      const editor = await McpTestClient.connect(moduleRef, { era, principal: EDITOR });
      try {
        const refused = await reader.callTool('delete_note', { id: note });
        assert.equal(refused.isError, true);
        assert.match(textOf(refused), /Only editors may do this/);
        const anonymous = await McpTestClient.connect(moduleRef, { era });
        assert.equal((await anonymous.callTool('delete_note', { id: note })).isError, true);
        await anonymous.close();

        const deleted = await editor.callTool('delete_note', { id: note });
        assert.equal(deleted.isError, undefined, textOf(deleted));
        assert.match(textOf(deleted), new RegExp(`Deleted note ${note} \\(guarded ${era}\\)`));
      } finally {
        await reader.close();
        await editor.close();
      }
    });

    it('a DTO tool answers invalid arguments with the validation message', async () => {
      const client = await McpTestClient.connect(moduleRef, { era });
      try {
        const invalid = await client.callTool('create_note', { title: '', body: 'x' });
        assert.equal(invalid.isError, true);
        assert.match(textOf(invalid), /title should not be empty/);
      } finally {
        await client.close();
      }
    });

    it('collects the progress and log notifications of a progress tool', async () => {
      const client = await McpTestClient.connect(moduleRef, { era });
      try {
        const result = await client.callTool('summarize_notes');
        assert.match(textOf(result), /Welcome/);
        assert.ok(client.progress.length >= 2, JSON.stringify(client.progress));
        assert.deepEqual(
          client.progress.map(({ progress }) => progress),
          client.progress.map((_, index) => index + 1),
        );
        assert.ok(client.progress.every(({ total }) => total === client.progress.length));
        assert.equal(client.progress[0]?.message, 'Summarized Welcome');
        assert.deepEqual(client.logs[0], { level: 'debug', data: { summarized: '1' }, logger: 'notes' });
      } finally {
        await client.close();
      }
    });

    it('answers an elicitation round with the handler the spec supplies', async () => {
      const asked: string[] = [];
      const client = await McpTestClient.connect(moduleRef, {
        era,
        onElicit: (params) => {
          asked.push(params.message);
          const field = Object.keys(
            (params as { requestedSchema: { properties: object } }).requestedSchema.properties,
          )[0]!;
          return { action: 'accept', content: { [field]: `${field} from ${era}` } };
        },
      });
      try {
        const drafted = await client.callTool('draft_note');
        assert.equal(drafted.isError, undefined, textOf(drafted));
        assert.deepEqual(asked, ['Title of the note?', 'What should it say?']);
        assert.equal(fieldOf(drafted, 'title'), `title from ${era}`);
        assert.equal(fieldOf(drafted, 'body'), `body from ${era}`);

        const declined = await McpTestClient.connect(moduleRef, {
          era,
          onElicit: () => ({ action: 'decline' }),
        });
        const abandoned = await declined.callTool('draft_note');
        await declined.close();
        assert.equal(abandoned.isError, true);
        assert.equal(textOf(abandoned), 'Draft abandoned');
      } finally {
        await client.close();
      }
    });

    it('answers sampling and roots with the handlers the spec supplies', async () => {
      moduleRef.get(McpRegistry).addTool({ name: `ask_model_${era}` }, async (_args, ctx: McpContext) => {
        const { roots } = await ctx.listRoots({ key: 'roots' });
        const answer = await ctx.createMessage(
          { messages: [{ role: 'user', content: { type: 'text', text: 'Name a colour' } }], maxTokens: 5 },
          { key: 'colour' },
        );
        return `${roots.map((root) => root.uri).join()} ${(answer.content as { text: string }).text}`;
      });
      const client = await McpTestClient.connect(moduleRef, {
        era,
        onRoots: () => [{ uri: 'file:///work', name: 'work' }],
        onSample: (params) => ({
          role: 'assistant',
          model: 'test-model',
          content: {
            type: 'text',
            text: `teal (asked: ${(params.messages[0]!.content as { text: string }).text})`,
          },
        }),
      });
      try {
        const result = await client.callTool(`ask_model_${era}`);
        assert.equal(textOf(result), 'file:///work teal (asked: Name a colour)');
      } finally {
        await client.close();
      }
    });

    it('reads resources and templates, gets prompts and completes their arguments', async () => {
      const client = await McpTestClient.connect(moduleRef, { era });
      try {
        assert.ok((await client.listResources()).some((resource) => resource.uri === 'notes://index'));
        assert.deepEqual(
          (await client.listResourceTemplates()).map((template) => template.uriTemplate),
          ['notes://notes/{id}'],
        );
        const note = await client.readResource('notes://notes/2');
        assert.match((note.contents[0] as { text: string }).text, /^# Groceries/);
        assert.deepEqual(
          (await client.listPrompts()).map((prompt) => prompt.name),
          ['review_note'],
        );
        const prompt = await client.getPrompt('review_note', { noteId: '1', tone: 'strict' });
        assert.match(textOf(prompt), /in a strict tone/);
        const completion = await client.complete(
          { type: 'ref/prompt', name: 'review_note' },
          { name: 'noteId', value: '' },
        );
        assert.ok(
          completion.values.includes('1') && completion.values.includes('2'),
          completion.values.join(),
        );
        const unknown = await client.callTool('no_such_tool').then(
          () => undefined,
          (error: { code?: number }) => error.code,
        );
        assert.equal(unknown, -32602);
      } finally {
        await client.close();
      }
    });

    it('observes list-changed notifications', async () => {
      const client = await McpTestClient.connect(moduleRef, { era });
      try {
        moduleRef.get(McpRegistry).addTool({ name: `added_${era}` }, () => 'ok');
        await client.waitForNotification('notifications/tools/list_changed');
        assert.ok((await client.listTools()).some((tool) => tool.name === `added_${era}`));
      } finally {
        await client.close();
      }
    });
  });
}

describe('nest-mcp/testing on an INestApplication that never listened', () => {
  let app: INestApplication;
  before(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
  });
  after(() => app.close());

  it('initialises the app itself and reaches the guarded tool with the principal', async () => {
    const client = await McpTestClient.connect(app, { principal: EDITOR });
    try {
      const created = await client.callTool('create_note', { title: 'From app', body: 'b' });
      const id = String(fieldOf(created, 'id'));
      assert.match(textOf(await client.callTool('delete_note', { id })), /Deleted note/);
      assert.equal(app.getHttpServer().listening, false);
    } finally {
      await client.close();
    }
  });
});

async function createNote(moduleRef: TestingModule, era: McpTestEra, title: string): Promise<string> {
  const client = await McpTestClient.connect(moduleRef, { era });
  try {
    const created = await client.callTool('create_note', { title, body: 'to delete' });
    return String(fieldOf(created, 'id'));
  } finally {
    await client.close();
  }
}

function fieldOf(result: { structuredContent?: unknown }, key: string): unknown {
  return (result.structuredContent as Record<string, unknown> | undefined)?.[key];
}
