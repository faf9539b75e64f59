import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { type CanActivate, type ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { refusedUpgrade, RawClient, startApp, type WsHarness } from './support/ws-harness.js';

/** A route guard written for HTTP: it reads the request and sets `req.user`. */
@Injectable()
class ApiKeyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<{ headers: Record<string, string>; user?: unknown }>();
    if (req.headers['x-api-key'] === 'denied') return false;
    // A message list, as a ValidationPipe-style exception carries it.
    if (req.headers['x-api-key'] === 'expired')
      throw new UnauthorizedException(['API key expired', 'renew it at /keys']);
    if (req.headers['x-api-key'] !== 'secret') throw new UnauthorizedException('API key required');
    req.user = { name: 'editor', roles: ['editor'] };
    return true;
  }
}

/** Every admission decision is made before the upgrade and answered with an HTTP status. */
describe('WebSocket admission at the upgrade', () => {
  let server: WsHarness;

  before(async () => {
    server = await startApp({ websocket: { maxConnections: 2 } });
  });
  after(() => server.close());

  it('negotiates the mcp subprotocol, accepts none offered, refuses others (400)', async () => {
    const withMcp = await RawClient.open(server.wsUrl, ['other', 'mcp']);
    assert.equal(withMcp.socket.protocol, 'mcp');
    await withMcp.close();
    const none = await RawClient.open(server.wsUrl, []);
    assert.equal(none.socket.protocol, '');
    assert.ok((await none.initialize()).result);
    await none.close();
    const refused = await refusedUpgrade(server.wsUrl, ['graphql-ws']);
    assert.equal(refused.status, 400);
    assert.match(refused.body, /mcp/);
  });

  it('refuses a foreign Origin with 403 and accepts a local one', async () => {
    const refused = await refusedUpgrade(server.wsUrl, 'mcp', { origin: 'https://evil.example' });
    assert.equal(refused.status, 403);
    assert.match(refused.body, /Origin/);
    const local = await RawClient.open(server.wsUrl, 'mcp', { origin: 'http://localhost:3000' });
    await local.close();
  });

  it('refuses an upgrade that names an HTTP session (sessions never mix)', async () => {
    const refused = await refusedUpgrade(server.wsUrl, 'mcp', { headers: { 'mcp-session-id': 'abc' } });
    assert.equal(refused.status, 400);
  });

  it('answers 503 with Retry-After at capacity, and admits again when a socket closes', async () => {
    const first = await RawClient.open(server.wsUrl);
    const second = await RawClient.open(server.wsUrl);
    const refused = await refusedUpgrade(server.wsUrl);
    assert.equal(refused.status, 503);
    assert.equal(refused.headers['retry-after'], '5');
    await first.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const third = await RawClient.open(server.wsUrl);
    await Promise.all([second.close(), third.close()]);
  });
});

describe('Route guards at the upgrade', () => {
  let server: WsHarness;

  before(async () => {
    server = await startApp({ guards: [ApiKeyGuard] });
  });
  after(() => server.close());

  it('runs the same guard class as the HTTP route: 401/403 before the upgrade, principal after', async () => {
    const missing = await refusedUpgrade(server.wsUrl);
    assert.equal(missing.status, 401);
    assert.match(missing.body, /API key required/);
    const denied = await refusedUpgrade(server.wsUrl, 'mcp', { headers: { 'x-api-key': 'denied' } });
    assert.equal(denied.status, 403);
    const expired = await refusedUpgrade(server.wsUrl, 'mcp', { headers: { 'x-api-key': 'expired' } });
    assert.equal(expired.status, 401);
    assert.match(expired.body, /API key expired; renew it at \/keys/, 'every message, not the class name');
    const http = await fetch(server.httpUrl, { method: 'POST', body: '{}' });
    assert.equal(http.status, 401, 'the same guard protects the HTTP route');

    const client = await RawClient.open(server.wsUrl, 'mcp', { headers: { 'x-api-key': 'secret' } });
    await client.initialize();
    // delete_note is guarded per tool by the example's EditorGuard, which reads the principal.
    const deleted = await client.request('tools/call', { name: 'delete_note', arguments: { id: '2' } });
    assert.equal(deleted.result.isError, undefined, JSON.stringify(deleted));
    assert.match(deleted.result.content[0].text, /Deleted note 2/);
    await client.close();
  });
});

describe('Tool guards per message without a route guard', () => {
  let server: WsHarness;

  before(async () => {
    server = await startApp();
  });
  after(() => server.close());

  it('refuses the editor-only tool to an anonymous socket', async () => {
    const client = await RawClient.open(server.wsUrl);
    await client.initialize();
    const answer = await client.request('tools/call', { name: 'delete_note', arguments: { id: '1' } });
    assert.ok(answer.error !== undefined || answer.result.isError === true, JSON.stringify(answer));
    await client.close();
  });
});

describe('WebSocket turned off', () => {
  it('leaves an Upgrade to the HTTP route (plain HTTP answer, no 101)', async () => {
    const server = await startApp({ transports: { websocket: false } });
    try {
      const refused = await refusedUpgrade(server.wsUrl);
      assert.ok(refused.status >= 400 && refused.status < 500, `status ${refused.status}`);
    } finally {
      await server.close();
    }
  });
});

describe('The example app from outside: MCP_WEBSOCKET and MCP_WS_MAX_CONNECTIONS', () => {
  const main = fileURLToPath(new URL('../../src/main.js', import.meta.url));

  async function runExample(env: Record<string, string>): Promise<{ url: string; stop(): void }> {
    const port = await freePort();
    const child = spawn(process.execPath, [main], {
      env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => chunk.toString().includes('listening on') && resolve();
      child.stdout!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`example exited with ${code}`)));
    });
    return { url: `ws://127.0.0.1:${port}/mcp`, stop: () => child.kill() };
  }

  it('MCP_WEBSOCKET=off: no upgrade', async () => {
    const example = await runExample({ MCP_WEBSOCKET: 'off' });
    try {
      const refused = await refusedUpgrade(example.url);
      assert.ok(refused.status >= 400 && refused.status < 500, `status ${refused.status}`);
    } finally {
      example.stop();
    }
  });

  it('MCP_WS_MAX_CONNECTIONS=1: the second socket gets 503', async () => {
    const example = await runExample({ MCP_WS_MAX_CONNECTIONS: '1' });
    try {
      const first = await RawClient.open(example.url);
      assert.equal((await refusedUpgrade(example.url)).status, 503);
      await first.close();
    } finally {
      example.stop();
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
