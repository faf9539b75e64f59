import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TEST_PREFIX } from '../support/test-platform.js';
import { RawClient, refusedUpgrade } from '../websocket/support/ws-harness.js';
import {
  bearer,
  challengeOf,
  delay,
  legacyPost,
  modernCall,
  modernToolCall,
  openSession,
  tampered,
} from './support/auth-requests.js';
import {
  type AuthorizationServer,
  CLIENTS,
  SHORT_LIVED_SECONDS,
  startAuthorizationServer,
} from './support/authorization-server.js';
import { type ProtectedApp, startProtectedApp } from './support/protected-app.js';

/**
 * The MCP authorization chapter end to end, against a real authorization server
 * (oidc-provider, in-process): metadata document, 401/403 challenges, audience binding,
 * expiry, tampering, step-up, on Streamable HTTP (both eras), polling and WebSocket.
 */
describe('OAuth protected resource (Streamable HTTP, polling, WebSocket)', () => {
  let as: AuthorizationServer;
  let server: ProtectedApp;
  /** notes:read notes:write, client credentials. */
  let fullToken: string;
  /** notes:read only. */
  let readerToken: string;
  let metadataUrl: string;

  before(async () => {
    as = await startAuthorizationServer();
    server = await startProtectedApp(as.issuer);
    fullToken = await as.clientCredentials({ scope: 'notes:read notes:write', resource: server.resource });
    readerToken = await as.clientCredentials({
      client: CLIENTS.reader,
      scope: 'notes:read',
      resource: server.resource,
    });
    const path = new URL(server.resource).pathname;
    metadataUrl = `${server.origin}/.well-known/oauth-protected-resource${path}`;
  });
  after(async () => {
    await server?.close();
    await as?.close();
  });

  describe('metadata document (RFC 9728)', () => {
    it('is served at the path-suffixed location and at the root, outside the global prefix', async () => {
      for (const url of [metadataUrl, `${server.origin}/.well-known/oauth-protected-resource`]) {
        const response = await fetch(url);
        assert.equal(response.status, 200, url);
        assert.match(response.headers.get('content-type') ?? '', /application\/json/);
        const document = (await response.json()) as Record<string, unknown>;
        assert.equal(document['resource'], server.resource);
        assert.deepEqual(document['authorization_servers'], [as.issuer]);
        assert.deepEqual(document['bearer_methods_supported'], ['header']);
        assert.deepEqual((document['scopes_supported'] as string[]).toSorted(), [
          'notes:read',
          'notes:write',
        ]);
      }
      if (TEST_PREFIX !== '') {
        assert.match(metadataUrl, new RegExp(`/.well-known/oauth-protected-resource/${TEST_PREFIX}/mcp$`));
        const underPrefix = await fetch(
          `${server.origin}/${TEST_PREFIX}/.well-known/oauth-protected-resource`,
        );
        assert.equal(underPrefix.status, 404, 'a well-known URI is never under the prefix');
      }
    });
  });

  describe('Streamable HTTP, 2026-07-28', () => {
    it('answers a request without a token 401 with resource_metadata and the scopes to ask for', async () => {
      const response = await modernToolCall(server.url, undefined, 'list_notes');
      assert.equal(response.status, 401);
      const challenge = challengeOf(response);
      assert.equal(challenge['resource_metadata'], metadataUrl);
      assert.equal(challenge['scope'], 'notes:read');
      assert.equal(challenge['error'], undefined, 'RFC 6750 §3.1: no error code without credentials');
      const body = (await response.json()) as { error: { code: number } };
      assert.equal(body.error.code, -32010);
    });

    it('serves a client-credentials token issued for this resource', async () => {
      const response = await modernToolCall(server.url, fullToken, 'list_notes');
      assert.equal(response.status, 200);
      const body = (await response.json()) as { result: { content: Array<{ text: string }> } };
      assert.match(body.result.content[0]!.text, /first note/);
    });

    it('serves an authorization-code + PKCE token and shows its principal to the handler', async () => {
      const token = await as.authorizationCode({
        scope: 'notes:read notes:write',
        resource: server.resource,
      });
      const response = await modernToolCall(server.url, token, 'whoami');
      assert.equal(response.status, 200);
      const body = (await response.json()) as { result: { content: Array<{ text: string }> } };
      const seen = JSON.parse(body.result.content[0]!.text);
      assert.equal(seen.subject, 'alice');
      assert.equal(seen.clientId, CLIENTS.full.id);
      assert.deepEqual(seen.scopes, ['notes:read', 'notes:write']);
      assert.equal(seen.sameOnRequest, true, 'req.user is the same principal');
    });

    it('refuses a token issued for another resource (audience) with invalid_token', async () => {
      const other = await as.clientCredentials({
        scope: 'notes:read',
        resource: 'https://other.example/mcp',
      });
      const response = await modernToolCall(server.url, other, 'list_notes');
      assert.equal(response.status, 401);
      const challenge = challengeOf(response);
      assert.equal(challenge['error'], 'invalid_token');
      assert.match(challenge['error_description']!, /aud/);
      assert.equal(challenge['resource_metadata'], metadataUrl);
    });

    it('refuses a tampered token with invalid_token', async () => {
      const response = await modernToolCall(server.url, tampered(readerToken), 'create_note', { text: 'x' });
      assert.equal(response.status, 401);
      assert.equal(challengeOf(response)['error'], 'invalid_token');
    });

    it('refuses an expired token with invalid_token', async () => {
      const shortLived = await as.clientCredentials({
        client: CLIENTS.shortLived,
        scope: 'notes:read',
        resource: server.resource,
      });
      assert.equal((await modernToolCall(server.url, shortLived, 'list_notes')).status, 200);
      await delay(SHORT_LIVED_SECONDS * 1000 + 100);
      const response = await modernToolCall(server.url, shortLived, 'list_notes');
      assert.equal(response.status, 401);
      const challenge = challengeOf(response);
      assert.equal(challenge['error'], 'invalid_token');
      assert.match(challenge['error_description']!, /expired/);
    });

    it('ends a subscriptions/listen stream when its token expires', async () => {
      const shortLived = await as.clientCredentials({
        client: CLIENTS.shortLived,
        scope: 'notes:read',
        resource: server.resource,
      });
      const started = Date.now();
      const listen = await modernCall(server.url, shortLived, 'subscriptions/listen', {
        notifications: { toolsListChanged: true },
      });
      assert.equal(listen.status, 200);
      assert.equal(listen.headers.get('content-type'), 'text/event-stream');
      const text = await listen.text(); // resolves when the server ends the stream
      assert.ok(Date.now() - started < (SHORT_LIVED_SECONDS + 3) * 1000, 'ended at expiry');
      assert.match(text, /notifications\/subscriptions\/acknowledged/);
    });

    it('answers a malformed Authorization header 400 invalid_request', async () => {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          authorization: 'Bearer a b',
        },
        body: '{}',
      });
      assert.equal(response.status, 400);
      assert.equal(challengeOf(response)['error'], 'invalid_request');
    });

    it('steps up: notes:read gets 403 insufficient_scope naming notes:write, then a notes:write token passes', async () => {
      const refused = await modernToolCall(server.url, readerToken, 'create_note', { text: 'from reader' });
      assert.equal(refused.status, 403);
      const challenge = challengeOf(refused);
      assert.equal(challenge['error'], 'insufficient_scope');
      assert.equal(challenge['scope'], 'notes:write');
      assert.equal(challenge['resource_metadata'], metadataUrl);
      // Reads still pass with the narrow token; the step-up token does the write.
      assert.equal((await modernToolCall(server.url, readerToken, 'list_notes')).status, 200);
      const stepped = await as.clientCredentials({
        scope: 'notes:read notes:write',
        resource: server.resource,
      });
      const written = await modernToolCall(server.url, stepped, 'create_note', { text: 'after step-up' });
      assert.equal(written.status, 200);
      const body = (await written.json()) as {
        result: { content: Array<{ text: string }>; isError?: boolean };
      };
      assert.equal(body.result.isError, undefined);
      assert.equal(body.result.content[0]!.text, 'created after step-up');
    });

    it('checks scopes of resources (template) and prompts too', async () => {
      const read = await modernCall(
        server.url,
        readerToken,
        'resources/read',
        { uri: 'notes://drafts/7' },
        'notes://drafts/7',
      );
      assert.equal(read.status, 403);
      assert.equal(challengeOf(read)['scope'], 'notes:write');
      const prompt = await modernCall(
        server.url,
        readerToken,
        'prompts/get',
        { name: 'summarize' },
        'summarize',
      );
      assert.equal(prompt.status, 200);
    });

    it('runs guards on the tool with the verified principal', async () => {
      const alice = await as.authorizationCode({
        scope: 'notes:read notes:write',
        resource: server.resource,
      });
      const refused = await modernToolCall(server.url, alice, 'archive_notes');
      const body = (await refused.json()) as {
        result: { content: Array<{ text: string }>; isError?: boolean };
      };
      assert.equal(body.result.isError, true);
      assert.match(body.result.content[0]!.text, /alice may not archive/);
      const service = await modernToolCall(server.url, fullToken, 'archive_notes');
      const served = (await service.json()) as { result: { content: Array<{ text: string }> } };
      assert.equal(served.result.content[0]!.text, 'archived');
    });
  });

  describe('Streamable HTTP, 2025-11-25 sessions', () => {
    it('challenges POST, GET and DELETE without a token', async () => {
      const sessionId = await openSession(server.url, fullToken);
      const post = await legacyPost(server.url, undefined, sessionId, {
        jsonrpc: '2.0',
        id: 5,
        method: 'ping',
      });
      const get = await fetch(server.url, {
        headers: { accept: 'text/event-stream', 'mcp-session-id': sessionId },
      });
      const del = await fetch(server.url, { method: 'DELETE', headers: { 'mcp-session-id': sessionId } });
      for (const response of [post, get, del]) {
        assert.equal(response.status, 401);
        assert.equal(challengeOf(response)['resource_metadata'], metadataUrl);
        await response.body?.cancel();
      }
      const ended = await fetch(server.url, {
        method: 'DELETE',
        headers: { 'mcp-session-id': sessionId, ...bearer(fullToken) },
      });
      assert.equal(ended.status, 200);
    });

    it('steps up within a session: 403 insufficient_scope, then the same session with a wider token', async () => {
      // The same client asks for less, then for more: the session stays its own.
      const narrow = await as.clientCredentials({ scope: 'notes:read', resource: server.resource });
      const sessionId = await openSession(server.url, narrow);
      const call = {
        jsonrpc: '2.0',
        id: 2,
        method: 'tools/call',
        params: { name: 'create_note', arguments: { text: 's' } },
      };
      const refused = await legacyPost(server.url, narrow, sessionId, call);
      assert.equal(refused.status, 403);
      assert.equal(challengeOf(refused)['error'], 'insufficient_scope');
      assert.equal(challengeOf(refused)['scope'], 'notes:write');
      const wider = await as.clientCredentials({
        scope: 'notes:read notes:write',
        resource: server.resource,
      });
      const served = await legacyPost(server.url, wider, sessionId, call);
      assert.equal(served.status, 200);
    });

    it("answers 404 to another principal's token naming the session", async () => {
      const sessionId = await openSession(server.url, fullToken);
      const response = await legacyPost(server.url, readerToken, sessionId, {
        jsonrpc: '2.0',
        id: 4,
        method: 'ping',
      });
      assert.equal(response.status, 404);
      assert.equal(
        (await legacyPost(server.url, fullToken, sessionId, { jsonrpc: '2.0', id: 5, method: 'ping' }))
          .status,
        200,
      );
    });

    it('refuses an invalid token on a session POST (audience, tampered)', async () => {
      const sessionId = await openSession(server.url, fullToken);
      const other = await as.clientCredentials({
        scope: 'notes:read',
        resource: 'https://other.example/mcp',
      });
      for (const token of [other, tampered(fullToken)]) {
        const response = await legacyPost(server.url, token, sessionId, {
          jsonrpc: '2.0',
          id: 3,
          method: 'ping',
        });
        assert.equal(response.status, 401);
        assert.equal(challengeOf(response)['error'], 'invalid_token');
      }
    });

    it('ends the GET stream when its token expires (the client resumes with a fresh token)', async () => {
      const shortLived = await as.clientCredentials({
        client: CLIENTS.shortLived,
        scope: 'notes:read',
        resource: server.resource,
      });
      const sessionId = await openSession(server.url, shortLived);
      const started = Date.now();
      const stream = await fetch(server.url, {
        headers: { accept: 'text/event-stream', 'mcp-session-id': sessionId, ...bearer(shortLived) },
      });
      assert.equal(stream.status, 200);
      await stream.text(); // resolves when the server ends the stream
      assert.ok(
        Date.now() - started < (SHORT_LIVED_SECONDS + 3) * 1000,
        'ended at expiry, not at some later timeout',
      );
    });
  });

  describe('polling', () => {
    const pollingHeaders = { 'mcp-transport': 'polling', accept: 'application/json' };

    it('challenges the open request without a token and opens with one', async () => {
      const refused = await fetch(server.url, { method: 'POST', headers: pollingHeaders });
      assert.equal(refused.status, 401);
      assert.equal(challengeOf(refused)['resource_metadata'], metadataUrl);
      const opened = await fetch(server.url, {
        method: 'POST',
        headers: { ...pollingHeaders, ...bearer(fullToken) },
      });
      assert.equal(opened.status, 201);
    });

    it('refuses a bad token on send and poll, and steps up a send lacking scope', async () => {
      const opened = await fetch(server.url, {
        method: 'POST',
        headers: { ...pollingHeaders, ...bearer(readerToken) },
      });
      const { channelId } = (await opened.json()) as { channelId: string };
      const channel = { ...pollingHeaders, 'mcp-channel-id': channelId, 'content-type': 'application/json' };
      const initialize = {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-11-25',
          capabilities: {},
          clientInfo: { name: 'poll', version: '1' },
        },
      };
      const send = (token: string | undefined, message: unknown) =>
        fetch(server.url, {
          method: 'POST',
          headers: { ...channel, ...bearer(token) },
          body: JSON.stringify(message),
        });
      assert.equal((await send(readerToken, initialize)).status, 202);
      const call = {
        jsonrpc: '2.0',
        id: 2,
        method: 'tools/call',
        params: { name: 'create_note', arguments: { text: 'p' } },
      };
      const tooNarrow = await send(readerToken, call);
      assert.equal(tooNarrow.status, 403);
      assert.equal(challengeOf(tooNarrow)['error'], 'insufficient_scope');
      assert.equal(challengeOf(tooNarrow)['scope'], 'notes:write');
      const forged = await send(tampered(readerToken), call);
      assert.equal(forged.status, 401);
      assert.equal(challengeOf(forged)['error'], 'invalid_token');
      const poll = await fetch(server.url, { headers: { ...pollingHeaders, 'mcp-channel-id': channelId } });
      assert.equal(poll.status, 401);
    });
    it('refuses the next poll once the token expires, and serves the same channel with a fresh token', async () => {
      const shortLived = await as.clientCredentials({
        client: CLIENTS.shortLived,
        scope: 'notes:read',
        resource: server.resource,
      });
      const opened = await fetch(server.url, {
        method: 'POST',
        headers: { ...pollingHeaders, 'content-type': 'application/json', ...bearer(shortLived) },
        // Polls answer at once: this test is about admission, not about waiting for events.
        body: JSON.stringify({ pollTimeoutMs: 0 }),
      });
      assert.equal(opened.status, 201);
      const { channelId } = (await opened.json()) as { channelId: string };
      const poll = (token: string) =>
        fetch(server.url, {
          headers: { ...pollingHeaders, 'mcp-channel-id': channelId, ...bearer(token) },
        });
      await delay(SHORT_LIVED_SECONDS * 1000 + 100);
      const expired = await poll(shortLived);
      assert.equal(expired.status, 401);
      assert.equal(challengeOf(expired)['error'], 'invalid_token');
      // The channel belongs to the subject, not to the token: a refreshed token goes on with it.
      const fresh = await as.clientCredentials({
        client: CLIENTS.shortLived,
        scope: 'notes:read',
        resource: server.resource,
      });
      const served = await poll(fresh);
      assert.equal(served.status, 200);
    });
  });

  describe('WebSocket', () => {
    it('refuses the Upgrade without a token, or with a bad one, with the HTTP challenge', async () => {
      const missing = await refusedUpgrade(server.wsUrl);
      assert.equal(missing.status, 401);
      assert.equal(challengeOf({ headers: missing.headers })['resource_metadata'], metadataUrl);
      const forged = await refusedUpgrade(server.wsUrl, 'mcp', { headers: bearer(tampered(fullToken)) });
      assert.equal(forged.status, 401);
      assert.equal(challengeOf({ headers: forged.headers })['error'], 'invalid_token');
      const other = await as.clientCredentials({
        scope: 'notes:read',
        resource: 'https://other.example/mcp',
      });
      const wrongAudience = await refusedUpgrade(server.wsUrl, 'mcp', { headers: bearer(other) });
      assert.equal(wrongAudience.status, 401);
    });

    it('serves a valid token, and refuses a call lacking scope in band with the step-up data', async () => {
      const client = await RawClient.open(server.wsUrl, 'mcp', { headers: bearer(readerToken) });
      try {
        await client.initialize();
        const listed = await client.request('tools/call', { name: 'list_notes', arguments: {} });
        assert.match(listed.result.content[0].text, /first note/);
        const seen = JSON.parse(
          (await client.request('tools/call', { name: 'whoami', arguments: {} })).result.content[0].text,
        );
        assert.equal(seen.subject, CLIENTS.reader.id, 'ctx.principal is the verified token over WebSocket');
        assert.deepEqual(seen.scopes, ['notes:read']);
        const refused = await client.request('tools/call', { name: 'create_note', arguments: { text: 'w' } });
        assert.equal(refused.error.code, -32010);
        assert.equal(refused.error.data.error, 'insufficient_scope');
        assert.equal(refused.error.data.scope, 'notes:write');
        assert.equal(refused.error.data.resource_metadata, metadataUrl);
      } finally {
        await client.close();
      }
    });

    it('closes the socket with 4401 when its token expires', async () => {
      const shortLived = await as.clientCredentials({
        client: CLIENTS.shortLived,
        scope: 'notes:read',
        resource: server.resource,
      });
      const client = await RawClient.open(server.wsUrl, 'mcp', { headers: bearer(shortLived) });
      const closed = await client.closed;
      assert.equal(closed.code, 4401);
      assert.match(closed.reason, /expired/);
    });
  });
});
