import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  Client as ClientV2,
  StreamableHTTPClientTransport as TransportV2,
} from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { ExampleFleet } from './support/example-fleet.js';
import { deleteKeys, SHARED_REDIS_URL, testKeyPrefix } from './support/redis-server.js';
import { RawSession, SseReader } from './support/session-http.js';

function textOf(result: unknown): string {
  return (result as { content: Array<{ text: string }> }).content[0]!.text;
}

/** An instance's count of `tools/call` requests that ended cancelled by the client. */
async function cancelledCalls(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return text
    .split('\n')
    .filter(
      (line) =>
        line.startsWith('mcp_request_duration_seconds_count{') &&
        line.includes('method="tools/call"') &&
        line.includes('outcome="cancelled"'),
    )
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

const isElicitation = (message: any) => message.method === 'elicitation/create';

describe('2025-11-25 sessions on three example instances on one Redis behind a round-robin nginx', () => {
  const prefix = testKeyPrefix('sessions');
  let fleet: ExampleFleet;
  /** The instances' own URLs, to put each request on a chosen instance. */
  let direct: string[];

  before(async () => {
    fleet = await ExampleFleet.start(SHARED_REDIS_URL, prefix);
    direct = fleet.instances.map((instance) => instance.url);
  });
  after(async () => {
    await fleet?.stop();
    await deleteKeys(SHARED_REDIS_URL, prefix);
  });

  it('serves the SDK v1 client: tools and an elicitation round across instances, DELETE ends it everywhere', async () => {
    const counted = await fleet.toolCallCounts();
    const client = new ClientV1(
      { name: 'v1-fleet', version: '1.0.0' },
      { capabilities: { elicitation: {} } },
    );
    const transport = new TransportV1(new URL(fleet.url));
    await client.connect(transport);
    const sessionId = transport.sessionId!;
    assert.ok(sessionId);
    const { tools } = await client.listTools();
    assert.ok(tools.some((tool) => tool.name === 'draft_note'));
    for (let index = 0; index < 6; index++) {
      const created = await client.callTool({
        name: 'create_note',
        arguments: { title: `v1 ${index}`, body: 'fleet' },
      });
      assert.equal(created.isError, undefined, JSON.stringify(created));
    }
    const questions: string[] = [];
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      questions.push(request.params.message);
      const field = request.params.message.startsWith('Title') ? 'title' : 'body';
      return { action: 'accept', content: { [field]: field === 'title' ? 'From v1' : 'Answered anywhere' } };
    });
    const drafted = await client.callTool({ name: 'draft_note', arguments: {} });
    assert.equal(drafted.isError, undefined, JSON.stringify(drafted));
    assert.deepEqual(questions, ['Title of the note?', 'What should it say?']);
    assert.match(JSON.stringify(drafted.structuredContent), /Answered anywhere/);
    const served = (await fleet.toolCallCounts()).map((count, index) => count - counted[index]!);
    assert.ok(
      served.filter((count) => count > 0).length >= 2,
      `calls were served by several instances: ${served}`,
    );
    await transport.terminateSession();
    await client.close();
    const session = RawSession.resume(sessionId);
    for (const url of direct) assert.equal(await session.ping(url), 404, `gone on ${url}`);
  });

  it('serves the SDK v2 client in its 2025 session mode through the balancer', async () => {
    const client = new ClientV2(
      { name: 'v2-fleet', version: '2.0.0' },
      { capabilities: { elicitation: { form: {} } } },
    );
    const transport = new TransportV2(new URL(fleet.url));
    await client.connect(transport);
    assert.equal(client.getProtocolEra(), 'legacy');
    const sessionId = transport.sessionId!;
    for (let index = 0; index < 6; index++) {
      const found = await client.callTool({ name: 'search_notes', arguments: { query: 'v1' } });
      assert.equal(found.isError, undefined, JSON.stringify(found));
    }
    client.setRequestHandler('elicitation/create', async (request) => {
      const content: Record<string, string> = request.params.message.startsWith('Title')
        ? { title: 'From v2' }
        : { body: 'v2 body' };
      return { action: 'accept', content };
    });
    const drafted = await client.callTool({ name: 'draft_note', arguments: {} });
    assert.match(textOf(drafted), /From v2/);
    await transport.terminateSession();
    await client.close();
    const session = RawSession.resume(sessionId);
    for (const url of direct) assert.equal(await session.ping(url), 404, `gone on ${url}`);
  });

  it('initialize on A, tools/call on B, the elicitation answer on C reaches the handler on B', async () => {
    const [a, b, c] = direct as [string, string, string];
    const session = await RawSession.open(a);
    const { id, stream } = await session.streamTool(b, 'draft_note');
    const [asked] = (await stream.until(isElicitation)).filter((event) => event.data !== undefined);
    assert.equal(asked!.data.params.message, 'Title of the note?');
    assert.equal(
      await session.answer(c, asked!.data.id, { action: 'accept', content: { title: 'Three' } }),
      202,
    );
    const second = (await stream.until(isElicitation)).findLast((event) => event.data !== undefined)!;
    assert.equal(second.data.params.message, 'What should it say?');
    assert.equal(
      await session.answer(a, second.data.id, { action: 'accept', content: { body: 'instances' } }),
      202,
    );
    const [answer] = (await stream.until((message) => message.id === id)).filter(
      (event) => event.data?.id === id,
    );
    assert.equal(answer!.data.result.structuredContent.title, 'Three', JSON.stringify(answer));
    assert.equal(await session.delete(c), 200);
    assert.equal(await session.ping(b), 404);
  });

  it('notifications/cancelled landing on another instance cancels the request running on B', async () => {
    const [a, b, c] = direct as [string, string, string];
    const session = await RawSession.open(a);
    const { id, stream } = await session.streamTool(b, 'draft_note');
    const asked = (await stream.until(isElicitation)).findLast((event) => event.data !== undefined)!;
    const cancel = await session.post(c, {
      jsonrpc: '2.0',
      method: 'notifications/cancelled',
      params: { requestId: id, reason: 'changed my mind' },
    });
    assert.equal(cancel.status, 202);
    const messages = (await stream.rest()).map((event) => event.data).filter((data) => data !== undefined);
    // The cancelled request gets no answer (spec: cancellation): its stream just ends.
    assert.ok(!messages.some((message) => message.id === id), JSON.stringify(messages));
    // The handler on B saw its signal abort: B counts the call as cancelled.
    const cancelled = await cancelledCalls(fleet.instances[1]!.port);
    assert.equal(cancelled, 1, `tools/call cancelled on B: ${cancelled}`);
    assert.match(String(asked.data.id), /^[0-9a-f]+\.\d+$/, 'server request ids name their instance');
    assert.equal(await session.ping(a), 200, 'the session lives on');
  });

  it('a POST stream resumes on another instance with Last-Event-ID and follows the events written on B', async () => {
    const [a, b, c] = direct as [string, string, string];
    const session = await RawSession.open(a);
    const { id, stream } = await session.streamTool(b, 'draft_note');
    const asked = (await stream.until(isElicitation)).findLast((event) => event.data !== undefined)!;
    assert.ok(asked.id, 'events carry ids');
    stream.cancel();
    const resumed = await session.get(c, asked.id);
    assert.equal(resumed.status, 200);
    const follower = new SseReader(resumed);
    assert.equal(
      await session.answer(a, asked.data.id, { action: 'accept', content: { title: 'Resumed' } }),
      202,
    );
    const second = (await follower.until(isElicitation)).findLast((event) => event.data !== undefined)!;
    assert.equal(second.data.params.message, 'What should it say?');
    assert.equal(
      await session.answer(c, second.data.id, { action: 'accept', content: { body: 'elsewhere' } }),
      202,
    );
    const answer = (await follower.until((message) => message.id === id)).findLast(
      (event) => event.data?.id === id,
    )!;
    assert.equal(answer.data.result.structuredContent.title, 'Resumed');
    assert.deepEqual(await follower.rest(), [], 'the followed stream ends after the answer');
  });
});
