import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  type AuthorizationServer,
  CLIENTS,
  startAuthorizationServer,
} from './support/authorization-server.js';
import { type ProtectedApp, startProtectedApp } from './support/protected-app.js';

const CLI = join(import.meta.dirname, '../../libs/mcp/src/cli/nest-mcp.js');

function runCli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The CLI against a protected server: a bearer token, and OAuth client credentials via the SDK. */
describe('nest-mcp CLI and a protected server', () => {
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

  it('calls a tool with --bearer, and with MCP_BEARER_TOKEN', async () => {
    const token = await as.clientCredentials({ scope: 'notes:read', resource: server.resource });
    const flag = await runCli(['call', server.url, 'list_notes', '--bearer', token]);
    assert.equal(flag.code, 0, flag.stderr);
    assert.match(flag.stdout, /first note/);
    const env = await runCli(['call', server.url, 'list_notes'], { MCP_BEARER_TOKEN: token });
    assert.equal(env.code, 0, env.stderr);
  });

  it('gets its own token with --client-id/--client-secret (discovered from the 401 challenge)', async () => {
    const result = await runCli([
      'call',
      server.url,
      'create_note',
      '{"text":"from the cli"}',
      '--client-id',
      CLIENTS.full.id,
      '--client-secret',
      CLIENTS.full.secret,
      '--scope',
      'notes:read notes:write',
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /created from the cli/);
  });

  it('exits 4 (refused) with what to give, without credentials on any transport', async () => {
    for (const args of [['--transport', 'streamable-http'], []]) {
      const result = await runCli(['tools', server.url, ...args]);
      assert.equal(result.code, 4, result.stderr);
      assert.match(result.stderr, /--bearer TOKEN/, result.stderr);
    }
  });

  it('exits 4 (refused), not "connection lost", when the token lacks a scope', async () => {
    const token = await as.clientCredentials({
      client: CLIENTS.reader,
      scope: 'notes:read',
      resource: server.resource,
    });
    for (const transport of ['streamable-http', 'websocket', 'polling']) {
      const result = await runCli([
        'call',
        server.url,
        'create_note',
        '{"text":"no"}',
        '--bearer',
        token,
        '--transport',
        transport,
      ]);
      assert.equal(result.code, 4, `${transport}: ${result.stderr}`);
      assert.match(result.stderr, /notes:write/, transport);
    }
  });
});
