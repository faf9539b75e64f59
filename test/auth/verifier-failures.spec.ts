import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { Test } from '@nestjs/testing';
import { McpModule } from 'nest-mcp';
import { refusedUpgrade } from '../websocket/support/ws-harness.js';
import { bearer, modernToolCall } from './support/auth-requests.js';
import { type AuthorizationServer, startAuthorizationServer } from './support/authorization-server.js';
import { freePort, type ProtectedApp, startProtectedApp } from './support/protected-app.js';

/** An unsigned JWT-shaped token with these claims (its signature is junk). */
function unsignedJwt(claims: Record<string, unknown>): string {
  return [{ alg: 'ES256', kid: 'x' }, claims]
    .map((part) => Buffer.from(JSON.stringify(part)).toString('base64url'))
    .concat('c2ln')
    .join('.');
}

/** What happens when tokens cannot be checked, and what start-up refuses. */
describe('Token verification failures and misconfiguration', () => {
  let as: AuthorizationServer;
  let server: ProtectedApp;
  let keys: ReturnType<typeof createServer>;
  let keysAnswer = 503;
  /** Requests the JWKS endpoint got. */
  let keyFetches = 0;

  before(async () => {
    as = await startAuthorizationServer();
    // A JWKS endpoint that is down (503) until the test lets it answer with the real keys.
    keys = createServer(async (_req, res) => {
      keyFetches++;
      if (keysAnswer !== 200) {
        res.writeHead(keysAnswer).end();
        return;
      }
      const upstream = await fetch(`${as.issuer}/jwks`);
      res.writeHead(200, { 'content-type': 'application/json' }).end(await upstream.text());
    });
    const port = await freePort();
    await new Promise<void>((resolve) => keys.listen(port, '127.0.0.1', resolve));
    server = await startProtectedApp(as.issuer, {
      jwt: { jwksUri: `http://127.0.0.1:${port}/jwks`, clockToleranceSeconds: 0 },
    });
  });
  after(async () => {
    await server?.close();
    keys?.closeAllConnections();
    keys?.close();
    await as?.close();
  });

  it('answers 503 with Retry-After (not 401) while the keys cannot be fetched, then serves', async () => {
    const token = await as.clientCredentials({ scope: 'notes:read', resource: server.resource });
    const refused = await modernToolCall(server.url, token, 'list_notes');
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get('retry-after'), '5');
    const body = await refused.text();
    assert.doesNotMatch(body, /127\.0\.0\.1|jwks|http:/, 'no internal URL reaches the caller');
    assert.equal(refused.headers.get('www-authenticate'), null, 'the token was not found invalid');
    const upgrade = await refusedUpgrade(server.wsUrl, 'mcp', { headers: bearer(token) });
    assert.equal(upgrade.status, 503);
    keysAnswer = 200;
    // Failures are never cached: the same token passes once the keys are back.
    const served = await modernToolCall(server.url, token, 'list_notes');
    assert.equal(served.status, 200);
  });

  it('refuses what is not a JWT of our issuer as invalid_token (401) without fetching any key', async () => {
    keysAnswer = 503;
    const fetchesBefore = keyFetches;
    for (const token of [
      'abc.def.ghi',
      unsignedJwt({ iss: 'http://127.0.0.1:1/other', aud: server.resource }),
    ]) {
      const response = await modernToolCall(server.url, token, 'list_notes');
      assert.equal(response.status, 401, token);
      assert.match(response.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
      await response.body?.cancel();
    }
    assert.equal(keyFetches, fetchesBefore, 'the key set was not fetched for them');
    keysAnswer = 200;
  });

  it('refuses a resource that is not a canonical URI at start-up', async () => {
    for (const resource of ['/mcp', 'https://example.com/mcp#frag', 'ftp://example.com/mcp']) {
      await assert.rejects(
        Test.createTestingModule({
          imports: [
            McpModule.forRoot({
              serverInfo: { name: 'x', version: '1' },
              auth: { resource, authorizationServers: [as.issuer] },
            }),
          ],
        }).compile(),
        /auth\.resource/,
        resource,
      );
    }
  });
});
