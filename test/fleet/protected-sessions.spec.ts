import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { redisState } from 'nest-mcp/redis';
import { legacyPost, openSession } from '../auth/support/auth-requests.js';
import {
  type AuthorizationServer,
  CLIENTS,
  startAuthorizationServer,
} from '../auth/support/authorization-server.js';
import { type ProtectedApp, startProtectedApp } from '../auth/support/protected-app.js';
import { FLEET_REQUEST_STATE_KEY } from './support/example-fleet.js';
import { deleteKeys, SHARED_REDIS_URL, testKeyPrefix } from './support/redis-server.js';

/**
 * Authorization and 2025 sessions on several instances: a session belongs to the principal that
 * opened it on every instance, not only where `initialize` ran (the owner is stored with the
 * session), so another client's valid token gets 404 for it anywhere.
 */
describe('protected 2025 sessions on two instances sharing Redis', () => {
  const prefix = testKeyPrefix('protected-sessions');
  let as: AuthorizationServer;
  let a: ProtectedApp;
  let b: ProtectedApp;
  let writerToken: string;
  let readerToken: string;
  const shared = () => ({
    state: redisState({ url: SHARED_REDIS_URL, keyPrefix: prefix }),
    requestState: { keys: [FLEET_REQUEST_STATE_KEY] },
  });

  before(async () => {
    as = await startAuthorizationServer();
    a = await startProtectedApp(as.issuer, {}, shared());
    // One canonical resource for both, as behind a load balancer: tokens are for it.
    b = await startProtectedApp(as.issuer, { resource: a.resource }, shared());
    writerToken = await as.clientCredentials({ scope: 'notes:read notes:write', resource: a.resource });
    readerToken = await as.clientCredentials({
      client: CLIENTS.reader,
      scope: 'notes:read',
      resource: a.resource,
    });
  });
  after(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await as?.close();
    await deleteKeys(SHARED_REDIS_URL, prefix);
  });

  const listTools = { jsonrpc: '2.0', id: 7, method: 'tools/list', params: {} };

  it('serves the opener on the other instance and refuses another subject there with 404', async () => {
    const sessionId = await openSession(a.url, writerToken);
    const own = await legacyPost(b.url, writerToken, sessionId, listTools);
    assert.equal(own.status, 200, await own.clone().text());
    assert.match(await own.text(), /list_notes/);

    for (const server of [b, a]) {
      const foreign = await legacyPost(server.url, readerToken, sessionId, listTools);
      assert.equal(foreign.status, 404, `${server.url}: ${await foreign.clone().text()}`);
      assert.equal(((await foreign.json()) as { error: { code: number } }).error.code, -32001);
    }
  });

  it('keeps the owner when the session is restored after a change made on another instance', async () => {
    const sessionId = await openSession(b.url, readerToken);
    const setLevel = { jsonrpc: '2.0', id: 8, method: 'logging/setLevel', params: { level: 'error' } };
    assert.equal((await legacyPost(a.url, readerToken, sessionId, setLevel)).status, 200);
    const foreign = await legacyPost(b.url, writerToken, sessionId, listTools);
    assert.equal(foreign.status, 404);
    await foreign.body?.cancel();
    assert.equal((await legacyPost(b.url, readerToken, sessionId, listTools)).status, 200);
  });
});
