import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { routePath } from '../support/test-platform.js';
import { challengeOf, modernCall, modernToolCall } from './support/auth-requests.js';
import {
  type AuthorizationServer,
  CLIENTS,
  startAuthorizationServer,
} from './support/authorization-server.js';
import { freePort, type ProtectedApp, startProtectedApp } from './support/protected-app.js';

interface Listed {
  result: { tools?: Array<{ name: string }>; resourceTemplates?: Array<{ name: string }> };
}

/**
 * The second verifier (RFC 7662 token introspection, opaque tokens) and `hideUnauthorized`:
 * lists show a caller only what its scopes allow.
 */
describe('Token introspection and scope-filtered lists', () => {
  let as: AuthorizationServer;
  let server: ProtectedApp;

  before(async () => {
    // The resource must be known to the authorization server before the app starts: its
    // tokens for this resource are opaque, so only introspection can check them.
    const port = await freePort();
    const resource = `http://127.0.0.1:${port}${routePath()}`;
    as = await startAuthorizationServer({ opaqueResources: [resource] });
    server = await startProtectedApp(
      as.issuer,
      {
        hideUnauthorized: true,
        jwt: undefined,
        introspection: { clientId: CLIENTS.resourceServer.id, clientSecret: CLIENTS.resourceServer.secret },
      },
      {},
      port,
    );
    assert.equal(server.resource, resource);
  });
  after(async () => {
    await server?.close();
    await as?.close();
  });

  it('accepts an opaque token the authorization server says is active for this resource', async () => {
    const token = await as.clientCredentials({ scope: 'notes:read', resource: server.resource });
    assert.doesNotMatch(token, /\./, 'an opaque token, not a JWT');
    const response = await modernToolCall(server.url, token, 'list_notes');
    assert.equal(response.status, 200);
  });

  it('refuses an opaque token issued for another resource, and an unknown one', async () => {
    const other = await as.clientCredentials({ scope: 'notes:read', resource: 'https://other.example/mcp' });
    for (const token of [other, 'not-a-token-the-server-issued']) {
      const response = await modernToolCall(server.url, token, 'list_notes');
      assert.equal(response.status, 401);
      assert.equal(challengeOf(response)['error'], 'invalid_token');
    }
  });

  it('hides from the lists what the caller may not use, and shows it after step-up', async () => {
    const reader = await as.clientCredentials({
      client: CLIENTS.reader,
      scope: 'notes:read',
      resource: server.resource,
    });
    const writer = await as.clientCredentials({ scope: 'notes:read notes:write', resource: server.resource });
    const toolsOf = async (token: string) =>
      ((await (await modernCall(server.url, token, 'tools/list')).json()) as Listed).result
        .tools!.map((t) => t.name)
        .toSorted();
    assert.deepEqual(await toolsOf(reader), ['list_notes', 'whoami']);
    assert.deepEqual(await toolsOf(writer), [
      'archive_notes',
      'create_note',
      'export_notes',
      'list_notes',
      'whoami',
    ]);
    const templatesOf = async (token: string) =>
      ((await (await modernCall(server.url, token, 'resources/templates/list')).json()) as Listed).result
        .resourceTemplates!.length;
    assert.equal(await templatesOf(reader), 0);
    assert.equal(await templatesOf(writer), 1);
  });
});
