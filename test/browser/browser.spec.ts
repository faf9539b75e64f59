import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { build } from 'esbuild';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { startExampleServer, type ExampleServer } from '../client/support/example-server.js';
import { Middlebox } from '../client/support/middlebox.js';

const CHROMIUM = '/usr/bin/chromium';
/** The browser entry, as compiled by tsc: what `nest-mcp/client` resolves to. */
const CLIENT_ENTRY = join(import.meta.dirname, '../../libs/mcp/src/client/index.js');

// Outside CI a machine without Chromium skips this file with a reason; in CI it must run.
const missing = !existsSync(CHROMIUM);
if (missing && process.env['CI'] === 'true') {
  throw new Error(`${CHROMIUM} is missing in CI: .ci/run must install chromium`);
}
const skip = missing ? `${CHROMIUM} not found (apt-get install chromium); browser test skipped` : false;

/** Bundles the browser entry for the browser; any Node built-in in it fails the build. */
async function bundleClient(): Promise<string> {
  const result = await build({
    entryPoints: [CLIENT_ENTRY],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    globalName: 'nestMcp',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

describe('fallback client in Chromium', { skip }, () => {
  let server: ExampleServer;
  let box: Middlebox;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  let bundleBytes = 0;

  before(async () => {
    const bundle = await bundleClient();
    bundleBytes = bundle.length;
    server = await startExampleServer();
    // The page comes from the same origin as /mcp, the way an app would ship the client.
    box = await Middlebox.start(
      server.origin,
      {},
      {
        '/': {
          type: 'text/html',
          body: '<!doctype html><title>nest-mcp</title><script src="/client.js"></script>',
        },
        '/client.js': { type: 'text/javascript', body: bundle },
      },
    );
    profile = mkdtempSync(join(tmpdir(), 'nest-mcp-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${box.origin}/`);
  });

  after(async () => {
    await context?.close();
    await box?.close();
    await server?.close();
    if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
  });

  it('the browser entry bundles without Node modules', () => {
    assert.ok(bundleBytes > 10_000, `bundle is ${bundleBytes} bytes`);
  });

  for (const transport of ['streamable-http', 'websocket', 'polling'] as const) {
    it(`connects over ${transport} (forced) and calls a tool`, async () => {
      const outcome = await page.evaluate(async (name) => {
        const { McpFallbackClient } = (globalThis as any).nestMcp;
        const mcp = new McpFallbackClient(`${location.origin}/mcp`, { transports: [name] });
        await mcp.connect();
        const progress: number[] = [];
        const search = await mcp.callTool('search_notes', { query: 'Welcome' });
        await mcp.callTool(
          'summarize_notes',
          {},
          { onprogress: (p: { progress: number }) => progress.push(p.progress) },
        );
        const result = {
          transport: mcp.transportName,
          protocolVersion: mcp.protocolVersion,
          attempts: mcp.attempts,
          title: search.structuredContent.notes[0].title,
          progress,
        };
        await mcp.close();
        return result;
      }, transport);
      assert.equal(outcome.transport, transport, JSON.stringify(outcome.attempts));
      assert.equal(outcome.protocolVersion, '2026-07-28');
      assert.equal(outcome.title, 'Welcome');
      assert.ok(outcome.progress.length >= 2, `progress ${JSON.stringify(outcome.progress)}`);
    });
  }

  it('auto picks Streamable HTTP in the browser', async () => {
    const chosen = await page.evaluate(async () => {
      const { McpFallbackClient } = (globalThis as any).nestMcp;
      const mcp = new McpFallbackClient(`${location.origin}/mcp`);
      await mcp.connect();
      const name = mcp.transportName;
      await mcp.close();
      return name;
    });
    assert.equal(chosen, 'streamable-http');
  });
});
