import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { UnauthorizedError } from '@modelcontextprotocol/client';
import { McpFallbackClient, McpFallbackError } from '../../libs/mcp/src/client/node.js';
import { HeadlessOAuthProvider } from '../support/headless-oauth.provider.js';
import {
  type AuthorizationServer,
  CLIENTS,
  REDIRECT_URI,
  startAuthorizationServer,
} from './support/authorization-server.js';
import { type ProtectedApp, startProtectedApp } from './support/protected-app.js';

const TRANSPORTS = ['streamable-http', 'websocket', 'polling'] as const;

function textOf(result: { content: unknown }): string {
  return (result.content as Array<{ text: string }>)[0]!.text;
}

/** Our client against our protected server: a plain bearer token, and the SDK's OAuth provider. */
describe('McpFallbackClient and a protected server', () => {
  let as: AuthorizationServer;
  let server: ProtectedApp;

  before(async () => {
    as = await startAuthorizationServer();
    server = await startProtectedApp(as.issuer);
  });
  after(async () => {
    await server?.close();
    await as?.close();
  });

  for (const transport of TRANSPORTS) {
    it(`connects with a bearer token over ${transport}, and is refused without one`, async () => {
      const token = await as.clientCredentials({ scope: 'notes:read', resource: server.resource });
      const mcp = new McpFallbackClient(server.url, {
        transports: [transport],
        bearerToken: token,
        reconnect: { enabled: false },
      });
      await mcp.connect();
      try {
        assert.equal(mcp.transportName, transport);
        assert.match(textOf(await mcp.callTool('list_notes')), /first note/);
      } finally {
        await mcp.close();
      }
      const anonymous = new McpFallbackClient(server.url, {
        transports: [transport],
        reconnect: { enabled: false },
      });
      await assert.rejects(anonymous.connect(), (error: unknown) =>
        transport === 'streamable-http' ? error instanceof Error : error instanceof McpFallbackError,
      );
    });
  }

  it('runs authorization code + PKCE through the SDK provider, then steps up for a write', async () => {
    const provider = new HeadlessOAuthProvider(
      REDIRECT_URI,
      {},
      {
        client_id: CLIENTS.full.id,
        client_secret: CLIENTS.full.secret,
      },
    );
    const mcp = new McpFallbackClient(server.url, { authProvider: provider, reconnect: { enabled: false } });
    // The first connect sends the user to the authorization server and waits for the answer.
    await assert.rejects(mcp.connect(), UnauthorizedError);
    assert.ok(provider.callback?.get('code'), 'the authorization response carries a code');
    await mcp.finishAuth(provider.callback!);
    await mcp.connect();
    try {
      assert.equal(mcp.transportName, 'streamable-http');
      const seen = JSON.parse(textOf(await mcp.callTool('whoami')));
      assert.equal(seen.subject, 'alice');
      assert.deepEqual(seen.scopes, ['notes:read'], 'the scope of the 401 challenge');
      // A write needs notes:write: the 403 challenge starts a step-up authorization.
      provider.callback = undefined;
      await assert.rejects(mcp.callTool('create_note', { text: 'by alice' }), UnauthorizedError);
      assert.ok(provider.callback, 'a second authorization, for the wider scope');
      await mcp.finishAuth(provider.callback!);
      assert.equal(textOf(await mcp.callTool('create_note', { text: 'by alice' })), 'created by alice');
      const after = JSON.parse(textOf(await mcp.callTool('whoami')));
      assert.deepEqual(after.scopes.toSorted(), ['notes:read', 'notes:write']);
    } finally {
      await mcp.close();
    }
  });
});
