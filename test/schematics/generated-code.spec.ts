import assert from 'node:assert/strict';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { INestApplication, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { McpProtocolService } from 'nest-mcp';
import { connectModern, textOf } from '../authoring/support/authoring-harness.js';
import {
  compile,
  createRunner,
  editPackageJson,
  linkNodeModules,
  runNode,
  scratchApp,
  temporaryDirectory,
  writeTree,
} from './support/schematics-workbench.js';

/**
 * The generated code is real code: a scratch app gets nest-mcp (ng-add), a tool, two resources
 * and a prompt, is compiled with tsc, runs its generated specs, and serves the generated
 * handlers to the official SDK client.
 */
describe('generated code compiles, passes its own specs and serves MCP clients', () => {
  let directory: string;
  let app: INestApplication;

  before(async () => {
    const runner = createRunner();
    let tree = await scratchApp(runner);
    // Without Jest or Vitest the specs target node:test, which this repository runs.
    editPackageJson(tree, (manifest) => {
      delete manifest['devDependencies'].vitest;
    });
    tree = await runner.runSchematic('ng-add', {}, tree);
    tree = await runner.runSchematic('tool', { name: 'probe-weather' }, tree);
    tree = await runner.runSchematic('resource', { name: 'probe-status://now' }, tree);
    tree = await runner.runSchematic('resource', { name: 'probe-docs://pages/{slug}.md' }, tree);
    tree = await runner.runSchematic('prompt', { name: 'probe-brief' }, tree);
    directory = temporaryDirectory('generated');
    writeTree(tree, directory);
    linkNodeModules(directory);
    // The app's own tsconfig, minus its Vitest globals (not installed here) and its Vitest spec.
    writeFileSync(
      join(directory, 'tsconfig.check.json'),
      JSON.stringify({
        extends: './tsconfig.json',
        compilerOptions: { types: ['node'], incremental: false, rootDir: 'src', outDir: 'dist' },
        include: ['src/**/*.ts'],
        exclude: ['src/app.controller.spec.ts'],
      }),
    );
  });
  after(async () => {
    await app?.close();
    if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
  });

  it('compiles with tsc under the app’s strict tsconfig', () => {
    const result = compile(directory, 'tsconfig.check.json');
    assert.equal(result.status, 0, result.output);
  });

  it('passes the specs it generated', () => {
    const specs = readdirSync(join(directory, 'dist'), { recursive: true })
      .map(String)
      .filter((file) => file.endsWith('.spec.js') && file.includes('probe-'))
      .map((file) => join(directory, 'dist', file));
    assert.equal(specs.length, 4);
    const result = runNode(['--test', ...specs], directory);
    assert.equal(result.status, 0, result.output);
    assert.match(result.output, /# pass 5/);
  });

  it('serves the generated tool, resources and prompt to the SDK client', async () => {
    const modulePath = pathToFileURL(join(directory, 'dist', 'app.module.js')).href;
    const { AppModule } = (await import(modulePath)) as { AppModule: Type };
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    const client = await connectModern(app.get(McpProtocolService));
    assert.deepEqual(client.getServerVersion()?.name, 'scratch-app');

    const { tools } = await client.listTools();
    const tool = tools.find(({ name }) => name === 'probe_weather');
    assert.equal(tool?.title, 'Probe weather');
    assert.deepEqual(tool?.inputSchema.required, ['query']);
    const called = await client.callTool({ name: 'probe_weather', arguments: { query: 'rain in Oslo' } });
    assert.equal(called.isError, undefined);
    assert.equal(textOf(called), 'probe_weather received: rain in Oslo');
    const invalid = await client.callTool({ name: 'probe_weather', arguments: { query: '' } });
    assert.equal(invalid.isError, true);
    assert.match(textOf(invalid), /query should not be empty/);

    const fixed = await client.readResource({ uri: 'probe-status://now' });
    assert.deepEqual(fixed.contents, [
      { uri: 'probe-status://now', mimeType: 'text/plain', text: 'Contents of probe-status://now' },
    ]);
    const templated = await client.readResource({ uri: 'probe-docs://pages/intro.md' });
    assert.deepEqual(templated.contents, [
      {
        uri: 'probe-docs://pages/intro.md',
        mimeType: 'text/markdown',
        text: 'Contents of probe-docs://pages/intro.md, slug = intro',
      },
    ]);

    const prompt = await client.getPrompt({ name: 'probe_brief', arguments: { topic: 'tides' } });
    assert.deepEqual(prompt.messages[0]?.content, {
      type: 'text',
      text: 'Write about tides in a neutral tone.',
    });
    await client.close();
  });
});
