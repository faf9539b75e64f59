import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { modernHeaders, modernMeta, parseSse } from '../http/support/http-harness.js';
import { TASKS_META } from '../tasks/support/task-peer.js';
import { bearer, challengeOf } from './support/auth-requests.js';
import {
  type AuthorizationServer,
  CLIENTS,
  startAuthorizationServer,
} from './support/authorization-server.js';
import { type ProtectedApp, startProtectedApp } from './support/protected-app.js';

/**
 * Authorization and the tasks extension together: a task belongs to the subject of the token
 * that started it (another client's valid token cannot read, answer or cancel it), and a
 * task-creating tool's scopes are checked like any tool's, with the step-up challenge.
 */
describe('OAuth protected resource: tasks', () => {
  let as: AuthorizationServer;
  let server: ProtectedApp;
  /** Client `notes-app`: notes:read notes:write. */
  let writerToken: string;
  /** Client `notes-reader`: notes:read only, another subject. */
  let readerToken: string;

  before(async () => {
    as = await startAuthorizationServer();
    server = await startProtectedApp(as.issuer);
    writerToken = await as.clientCredentials({ scope: 'notes:read notes:write', resource: server.resource });
    readerToken = await as.clientCredentials({
      client: CLIENTS.reader,
      scope: 'notes:read',
      resource: server.resource,
    });
  });
  after(async () => {
    await server?.close();
    await as?.close();
  });

  let nextId = 1;

  /** A 2026 request of a client of the tasks extension, with `token`. */
  function post(token: string, method: string, params: Record<string, unknown>): Promise<Response> {
    const name = (params['taskId'] ?? params['name']) as string;
    return fetch(server.url, {
      method: 'POST',
      headers: { ...modernHeaders(method, name), ...bearer(token) },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: nextId++,
        method,
        params: { ...params, _meta: modernMeta(TASKS_META) },
      }),
    });
  }

  /** The JSON-RPC answer of `post`, read from JSON or from the SSE stream's last answer. */
  async function rpc(token: string, method: string, params: Record<string, unknown>): Promise<any> {
    const response = await post(token, method, params);
    const text = await response.text();
    if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
      return parseSse(text).findLast((event) => event.data?.id !== undefined)?.data;
    }
    return JSON.parse(text);
  }

  it('binds a task to the token subject: another valid token sees no such task', async () => {
    const started = await rpc(writerToken, 'tools/call', { name: 'export_notes', arguments: {} });
    assert.equal(started.result?.resultType, 'task', JSON.stringify(started));
    const { taskId } = started.result;

    for (const method of ['tasks/get', 'tasks/cancel']) {
      const foreign = await rpc(readerToken, method, { taskId });
      assert.equal(foreign.error?.code, -32602, `${method}: ${JSON.stringify(foreign)}`);
    }

    const deadline = Date.now() + 10_000;
    let task: any;
    do {
      task = (await rpc(writerToken, 'tasks/get', { taskId })).result;
      if (task?.status === 'completed') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    } while (Date.now() < deadline);
    assert.equal(task?.status, 'completed', JSON.stringify(task));
    assert.match(JSON.stringify(task), new RegExp(`exported \\d+ notes for ${CLIENTS.full.id}`));
  });

  it("checks a task tool's scopes before the task exists: 403 insufficient_scope (step-up)", async () => {
    const response = await post(readerToken, 'tools/call', { name: 'export_notes', arguments: {} });
    assert.equal(response.status, 403);
    const challenge = challengeOf(response);
    assert.equal(challenge['error'], 'insufficient_scope');
    assert.match(challenge['scope'] ?? '', /notes:write/);
    await response.body?.cancel();
  });
});
