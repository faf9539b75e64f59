import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RawClient } from '../websocket/support/ws-harness.js';
import { bearer, challengeOf, modernToolCall } from './support/auth-requests.js';
import { type AuthorizationServer, startAuthorizationServer } from './support/authorization-server.js';
import {
  type ProtectedApp,
  RecordingRouteGuard,
  routeGuardSaw,
  startProtectedApp,
} from './support/protected-app.js';

/** Route guards (`guards` option) run after the token check and see the verified principal. */
describe('Route guards of a protected resource', () => {
  let as: AuthorizationServer;
  let server: ProtectedApp;

  before(async () => {
    as = await startAuthorizationServer();
    server = await startProtectedApp(as.issuer, {}, { guards: [RecordingRouteGuard] });
  });
  after(async () => {
    await server?.close();
    await as?.close();
  });

  it('see the principal on HTTP and at the WebSocket Upgrade', async () => {
    routeGuardSaw.length = 0;
    const token = await as.clientCredentials({ scope: 'notes:read', resource: server.resource });
    assert.equal((await modernToolCall(server.url, token, 'list_notes')).status, 200);
    const client = await RawClient.open(server.wsUrl, 'mcp', { headers: bearer(token) });
    await client.close();
    assert.deepEqual(routeGuardSaw, ['notes-app', 'notes-app']);
  });

  it('are not reached without a valid token: the challenge comes first', async () => {
    routeGuardSaw.length = 0;
    const response = await modernToolCall(server.url, 'not.a.jwt', 'list_notes');
    assert.equal(response.status, 401);
    assert.equal(challengeOf(response)['error'], 'invalid_token');
    const body = (await response.json()) as { error: { code: number } };
    assert.equal(body.error.code, -32010);
    const missing = await modernToolCall(server.url, undefined, 'list_notes');
    assert.equal(missing.status, 401);
    assert.ok(challengeOf(missing)['resource_metadata']);
    assert.deepEqual(routeGuardSaw, []);
  });
});
