import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { modernHeaders, modernMeta, post } from '../http/support/http-harness.js';
import {
  describeOnEachKind,
  type EdgeApp,
  rejectionOf,
  startEdgeApp,
  STREAMABLE_HTTP_2025,
  STREAMABLE_HTTP_2026,
  textOf,
  type TransportKind,
  WEBSOCKET_2026,
} from './support/edge-app.js';

/**
 * What the Nest pipeline around a handler produces reaches the client as the spec directs,
 * and the server log holds only what is wrong with the server: a pipe's, guard's or
 * interceptor's `HttpException` carries its own messages (a tool error result for tools,
 * JSON-RPC errors for prompts and resources), an input-required round is control flow and
 * logs nothing, and a genuine crash is logged exactly once.
 */
const KINDS: readonly TransportKind[] = [STREAMABLE_HTTP_2026, STREAMABLE_HTTP_2025, WEBSOCKET_2026];

describe('the Nest pipeline on the wire and in the log', () => {
  let server: EdgeApp;
  before(async () => {
    server = await startEdgeApp();
  });
  after(() => server.close());

  /** Runs `body` and returns what the app logged at error level meanwhile. */
  async function errorsLoggedDuring(body: () => Promise<void>): Promise<string[]> {
    const loggedBefore = server.logger.errors.length;
    await body();
    return server.logger.errors.slice(loggedBefore);
  }

  it('answers a question the 2026 client cannot answer with -32021 and logs nothing', async () => {
    const logged = await errorsLoggedDuring(async () => {
      const response = await post(
        server.url,
        {
          jsonrpc: '2.0',
          id: 1,
          method: 'tools/call',
          params: { name: 'ask_name', arguments: {}, _meta: modernMeta() },
        },
        modernHeaders('tools/call', 'ask_name'),
      );
      assert.equal(response.status, 400);
      const answer = (await response.json()) as { error: { code: number; data: unknown } };
      assert.equal(answer.error.code, -32021);
      assert.deepEqual(answer.error.data, { requiredCapabilities: { elicitation: { form: {} } } });
    });
    assert.deepEqual(logged, [], 'a missing client capability is not a server error');
  });

  describeOnEachKind(
    KINDS,
    () => server.url,
    (client) => {
      it('runs an input-required round (or a 2025 server request) without logging an error', async () => {
        const logged = await errorsLoggedDuring(async () => {
          const answer = await client().callTool({ name: 'ask_name', arguments: {} });
          assert.equal(textOf(answer), 'Hello Ada');
          assert.equal(answer.isError, undefined);
        });
        assert.deepEqual(logged, []);
      });

      it("puts a global ValidationPipe's messages in the tool error, worded like our own checks", async () => {
        const logged = await errorsLoggedDuring(async () => {
          const accepted = await client().callTool({ name: 'create_note', arguments: { title: 'Fine' } });
          assert.equal(textOf(accepted), 'created Fine');
          const refused = await client().callTool({
            name: 'create_note',
            arguments: { title: 'Extra', extra: 1, other: 'x' },
          });
          assert.equal(refused.isError, true);
          assert.equal(
            textOf(refused),
            'Invalid arguments for tool create_note: property extra should not exist; property other should not exist',
          );
        });
        assert.deepEqual(logged, [], 'a refused argument is not a server error');
      });

      it("puts a parameter pipe's message and a guard's refusal in the tool error", async () => {
        assert.equal(
          textOf(await client().callTool({ name: 'repeat', arguments: { times: '2' } })),
          'again again',
        );
        const badNumber = await client().callTool({ name: 'repeat', arguments: { times: 'twice' } });
        assert.equal(badNumber.isError, true);
        assert.equal(
          textOf(badNumber),
          'Invalid arguments for tool repeat: Validation failed (numeric string is expected)',
        );
        const refused = await client().callTool({ name: 'polite', arguments: {} });
        assert.equal(refused.isError, true);
        assert.equal(textOf(refused), 'Forbidden resource');
        assert.equal(
          textOf(await client().callTool({ name: 'polite', arguments: { please: 'yes' } })),
          'thank you',
        );
      });

      it('answers a pipe refusing prompt arguments with -32602 and its messages, a guard with -32010', async () => {
        const logged = await errorsLoggedDuring(async () => {
          const invalid = await rejectionOf(
            client().getPrompt({ name: 'summary', arguments: { topic: 'ab' } }),
          );
          assert.equal(invalid.code, -32602);
          assert.match(
            invalid.message,
            /Invalid arguments for prompt summary: topic must be longer than or equal to 3 characters$/,
          );
          const refused = await rejectionOf(client().getPrompt({ name: 'polite_prompt', arguments: {} }));
          assert.equal(refused.code, -32010);
          assert.match(refused.message, /Forbidden resource$/);
        });
        assert.deepEqual(logged, []);
      });

      it('answers a pipe refusing template variables with -32602 and its messages, a guard with -32010', async () => {
        assert.equal(
          ((await client().readResource({ uri: 'test://numbers/42' })).contents[0] as { text: string }).text,
          'number 42',
        );
        const invalid = await rejectionOf(client().readResource({ uri: 'test://numbers/forty' }));
        assert.equal(invalid.code, -32602);
        assert.match(
          invalid.message,
          /Invalid arguments for resource test:\/\/numbers\/forty: n must be a number string$/,
        );
        const refused = await rejectionOf(client().readResource({ uri: 'test://private/1' }));
        assert.equal(refused.code, -32010);
      });

      it('logs a genuine handler crash exactly once, and the client reads only "Internal error"', async () => {
        const logged = await errorsLoggedDuring(async () => {
          const crashed = await client().callTool({ name: 'crash', arguments: {} });
          assert.equal(crashed.isError, true);
          assert.equal(textOf(crashed), 'Internal error');
        });
        assert.equal(logged.length, 1, `logged once: ${JSON.stringify(logged)}`);
        assert.match(logged[0]!, /edge fixture crash: secret internal detail/);
      });
    },
  );
});
