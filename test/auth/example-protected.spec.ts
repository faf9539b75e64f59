import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ExampleProcess, freePort } from '../example/support/example-process.js';
import { TEST_PLATFORM } from '../support/test-platform.js';
import { challengeOf, modernCall, modernToolCall } from './support/auth-requests.js';
import {
  type AuthorizationServer,
  CLIENTS,
  startAuthorizationServer,
} from './support/authorization-server.js';

/**
 * The example app as a protected resource (`MCP_AUTH_ISSUER`, `MCP_RESOURCE_URL`), run as its
 * own process: notes:read for reads, notes:write for writes, the metadata document served.
 */
describe('Example app as an OAuth protected resource', () => {
  let as: AuthorizationServer;
  let example: ExampleProcess;
  let resource: string;

  before(async () => {
    as = await startAuthorizationServer();
    const port = await freePort();
    resource = `http://127.0.0.1:${port}/mcp`;
    example = await ExampleProcess.start(
      { MCP_AUTH_ISSUER: as.issuer, MCP_RESOURCE_URL: resource, MCP_PLATFORM: TEST_PLATFORM },
      15_000,
      port,
    );
  });
  after(async () => {
    example?.kill();
    await as?.close();
  });

  it('serves its metadata document and challenges anonymous calls', async () => {
    const document = (await (
      await fetch(`http://127.0.0.1:${example.port}/.well-known/oauth-protected-resource/mcp`)
    ).json()) as Record<string, unknown>;
    assert.equal(document['resource'], resource);
    assert.deepEqual(document['authorization_servers'], [as.issuer]);
    assert.deepEqual(document['scopes_supported'], ['notes:read', 'notes:write']);
    const refused = await modernToolCall(example.url, undefined, 'search_notes', { query: 'x' });
    assert.equal(refused.status, 401);
    assert.equal(challengeOf(refused)['scope'], 'notes:read');
  });

  it('reads with notes:read, writes only with notes:write (step-up)', async () => {
    const reader = await as.clientCredentials({ client: CLIENTS.reader, scope: 'notes:read', resource });
    const search = await modernToolCall(example.url, reader, 'search_notes', { query: 'note' });
    assert.equal(search.status, 200);
    const resources = await modernCall(example.url, reader, 'resources/list');
    assert.equal(resources.status, 200);
    const write = await modernToolCall(example.url, reader, 'create_note', { title: 't', body: 'b' });
    assert.equal(write.status, 403);
    assert.equal(challengeOf(write)['error'], 'insufficient_scope');
    assert.equal(challengeOf(write)['scope'], 'notes:write');
    const writer = await as.clientCredentials({ scope: 'notes:read notes:write', resource });
    const created = await modernToolCall(example.url, writer, 'create_note', { title: 't', body: 'b' });
    assert.equal(created.status, 200);
    const body = (await created.json()) as { result: { isError?: boolean } };
    assert.equal(body.result.isError, undefined);
  });
});
