import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { buildToolEntry, MCP_CATALOG, McpModule, type McpModuleOptions } from 'nest-mcp';
import { TestCatalog } from '../protocol/support/test-catalog.js';
import { modernHeaders, modernMeta, post, SERVER_INFO } from './support/http-harness.js';

/**
 * MCP POSTs skip the Express/Nest route only when nothing on it could act on them: these
 * check that what would act (middleware, a global guard) still does, and that handlers get
 * an Express request either way.
 */
async function start(
  configure: (app: INestApplication) => void = () => {},
  options: Partial<McpModuleOptions> = {},
) {
  const catalog = new TestCatalog();
  catalog.addTool(
    buildToolEntry({ name: 'raw' }, (_args, ctx) =>
      typeof (ctx.rawRequest as { get?: unknown }).get === 'function' ? 'express request' : 'node request',
    ),
  );
  const moduleRef = await Test.createTestingModule({
    imports: [McpModule.forRoot({ serverInfo: SERVER_INFO, ...options })],
  })
    .overrideProvider(MCP_CATALOG)
    .useValue(catalog)
    .compile();
  const app = moduleRef.createNestApplication({ logger: false });
  configure(app);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}/mcp` };
}

const callRaw = (url: string) =>
  post(
    url,
    {
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'raw', arguments: {}, _meta: modernMeta() },
    },
    modernHeaders('tools/call', 'raw'),
  );

describe('MCP POST fast path', () => {
  it('hands handlers an Express request and keeps X-Powered-By when it skips the route', async () => {
    const { app, url } = await start();
    try {
      const response = await callRaw(url);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('x-powered-by'), 'Express');
      const body = (await response.json()) as { result: { content: Array<{ text: string }> } };
      assert.equal(body.result.content[0]!.text, 'express request');
    } finally {
      await app.close();
    }
  });

  it('stays off when http.fastPath is false: Express itself answers the request event', async () => {
    const { app, url } = await start(undefined, { http: { fastPath: false } });
    try {
      const listeners = (app.getHttpServer() as import('node:http').Server).listeners('request');
      assert.deepEqual(listeners, [app.getHttpAdapter().getInstance()], 'no listener in front of Express');
      const response = await callRaw(url);
      assert.equal(response.status, 200);
      const body = (await response.json()) as { result: { content: Array<{ text: string }> } };
      assert.equal(body.result.content[0]!.text, 'express request');
    } finally {
      await app.close();
    }
  });

  it('is on by default: a listener of its own stands in front of Express', async () => {
    const { app } = await start();
    try {
      const listeners = (app.getHttpServer() as import('node:http').Server).listeners('request');
      assert.equal(listeners.length, 1);
      assert.notEqual(listeners[0], app.getHttpAdapter().getInstance());
    } finally {
      await app.close();
    }
  });

  it('stays off when middleware is installed: the middleware sees MCP POSTs', async () => {
    const { app, url } = await start((nest) =>
      nest.use((_req: unknown, res: { setHeader(name: string, value: string): void }, next: () => void) => {
        res.setHeader('x-seen-by-middleware', 'yes');
        next();
      }),
    );
    try {
      const response = await callRaw(url);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('x-seen-by-middleware'), 'yes');
      await response.text();
    } finally {
      await app.close();
    }
  });

  it('stays off when a global guard is set: the guard decides MCP POSTs', async () => {
    const { app, url } = await start((nest) => nest.useGlobalGuards({ canActivate: () => false }));
    try {
      const response = await callRaw(url);
      assert.equal(response.status, 403);
      await response.text();
    } finally {
      await app.close();
    }
  });
});
