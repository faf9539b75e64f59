import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { INestApplication } from '@nestjs/common';
import { AppModule } from '../../src/app.module.js';
import { createAppOnPlatform } from '../../src/http-platform.js';
import { applyTestRouteSettings, routePath, TEST_PLATFORM } from '../support/test-platform.js';

const ORIGIN = 'http://localhost:5173';

/** The README's CORS recipe: Nest's own `enableCors` answers the preflight the MCP headers need. */
describe('browsers on another origin (app.enableCors)', () => {
  let app: INestApplication;
  let url: string;
  before(async () => {
    app = await createAppOnPlatform(AppModule, { logger: false }, TEST_PLATFORM);
    applyTestRouteSettings(app);
    app.enableCors({ origin: [ORIGIN], exposedHeaders: ['Mcp-Session-Id', 'Mcp-Channel-Id'] });
    await app.listen(0, '127.0.0.1');
    url = `${await app.getUrl()}${routePath()}`.replace('[::1]', '127.0.0.1');
  });
  after(() => app.close());

  it('answers the preflight and exposes the session header', async () => {
    const preflight = await fetch(url, {
      method: 'OPTIONS',
      headers: {
        origin: ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,mcp-session-id,mcp-protocol-version',
      },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), ORIGIN);
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /mcp-session-id/);
    const initialize = await fetch(url, {
      method: 'POST',
      headers: {
        origin: ORIGIN,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-11-25',
          capabilities: {},
          clientInfo: { name: 'browser', version: '1' },
        },
      }),
    });
    assert.equal(initialize.status, 200);
    assert.match(initialize.headers.get('access-control-expose-headers') ?? '', /Mcp-Session-Id/);
    assert.ok(initialize.headers.get('mcp-session-id'));
    await initialize.text();
  });
});
