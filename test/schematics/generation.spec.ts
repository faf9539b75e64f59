import assert from 'node:assert/strict';
import { before, beforeEach, describe, it } from 'node:test';
import type { SchematicTestRunner, UnitTestTree } from '@angular-devkit/schematics/testing/index.js';
import { createRunner, editPackageJson, scratchApp } from './support/schematics-workbench.js';

describe('schematics on a scratch Nest app tree', () => {
  let runner: SchematicTestRunner;
  let app: UnitTestTree;
  before(() => {
    runner = createRunner();
  });
  // A fresh app per test: runSchematic commits into the tree it is given.
  beforeEach(async () => {
    app = await scratchApp(runner);
  });

  it('tool: provider, input DTO and spec in a folder of their own, registered in the nearest module', async () => {
    const tree = await runner.runSchematic('tool', { name: 'probeWeather' }, app);
    const created = tree.files.filter((file) => file.startsWith('/src/probe-weather/')).toSorted();
    assert.deepEqual(created, [
      '/src/probe-weather/probe-weather.input.ts',
      '/src/probe-weather/probe-weather.tool.spec.ts',
      '/src/probe-weather/probe-weather.tool.ts',
    ]);
    const tool = tree.readText('/src/probe-weather/probe-weather.tool.ts');
    assert.match(tool, /export class ProbeWeatherTool \{/);
    assert.match(tool, /name: 'probe_weather'/);
    assert.match(tool, /input: ProbeWeatherInput/);
    assert.match(
      tool,
      /async probeWeather\(@McpArgs\(\) input: ProbeWeatherInput, @McpCtx\(\) ctx: McpContext\)/,
    );
    assert.match(tool, /from '\.\/probe-weather\.input\.js'/, 'ESM app: relative imports end in .js');
    assert.match(
      tree.readText('/src/probe-weather/probe-weather.input.ts'),
      /export class ProbeWeatherInput/,
    );
    const module = tree.readText('/src/app.module.ts');
    assert.match(
      module,
      /\nimport \{ ProbeWeatherTool \} from '\.\/probe-weather\/probe-weather\.tool\.js';\n/,
    );
    assert.match(module, /providers: \[AppService, ProbeWeatherTool\]/);
  });

  it('tool: the spec is written for the project’s runner (Jest/Vitest globals, else node:test)', async () => {
    const withVitest = await runner.runSchematic('tool', { name: 'a' }, app);
    assert.doesNotMatch(withVitest.readText('/src/a/a.tool.spec.ts'), /node:test/);
    const bare = await scratchApp(runner);
    editPackageJson(bare, (manifest) => {
      delete manifest['devDependencies'].vitest;
    });
    const tree = await runner.runSchematic('tool', { name: 'b' }, bare);
    assert.match(
      tree.readText('/src/b/b.tool.spec.ts'),
      /import \{ afterEach, beforeEach, describe, it \} from 'node:test';/,
    );
  });

  it('tool: --flat, --no-spec, --path, --skip-import and a name with folders', async () => {
    const flat = await runner.runSchematic('tool', { name: 'forecast', flat: true, spec: false }, app);
    assert.ok(flat.exists('/src/forecast.tool.ts'));
    assert.ok(flat.exists('/src/forecast.input.ts'));
    assert.ok(!flat.exists('/src/forecast.tool.spec.ts'));
    assert.match(
      flat.readText('/src/app.module.ts'),
      /import \{ ForecastTool \} from '\.\/forecast\.tool\.js';/,
    );

    const nested = await runner.runSchematic('tool', { name: 'weather/alerts', path: 'features' }, app);
    assert.ok(nested.exists('/src/features/weather/alerts/alerts.tool.ts'));
    assert.match(
      nested.readText('/src/app.module.ts'),
      /from '\.\/features\/weather\/alerts\/alerts\.tool\.js'/,
    );

    const moduleBefore = nested.readText('/src/app.module.ts');
    const skipped = await runner.runSchematic('tool', { name: 'quiet', skipImport: true }, nested);
    assert.ok(skipped.exists('/src/quiet/quiet.tool.ts'));
    assert.equal(skipped.readText('/src/app.module.ts'), moduleBefore);
  });

  it('tool and prompt: say what to install while the DTO packages are not dependencies', async () => {
    const warnings: string[] = [];
    const subscription = runner.logger.subscribe((entry) => {
      if (entry.level === 'warn') warnings.push(entry.message);
    });
    try {
      const tree = await runner.runSchematic('tool', { name: 'lookup' }, app);
      assert.deepEqual(warnings, [
        'The generated DTO needs class-validator, class-transformer, class-validator-jsonschema: ' +
          'npm install class-validator class-transformer class-validator-jsonschema',
      ]);
      editPackageJson(tree, (manifest) => {
        manifest['dependencies'] = {
          ...manifest['dependencies'],
          'class-validator': '^0.15.1',
          'class-transformer': '^0.5.1',
          'class-validator-jsonschema': '^5.2.0',
        };
      });
      await runner.runSchematic('prompt', { name: 'brief' }, tree);
      await runner.runSchematic('resource', { name: 'status' }, app);
      assert.equal(warnings.length, 1);
    } finally {
      subscription.unsubscribe();
    }
  });

  it('tool: the nearest module wins, and a CommonJS project gets imports without .js', async () => {
    const tree = await runner.runSchematic('tool', { name: 'first' }, app);
    tree.create(
      '/src/weather/weather.module.ts',
      "import { Module } from '@nestjs/common';\n\n@Module({})\nexport class WeatherModule {}\n",
    );
    editPackageJson(tree, (manifest) => {
      delete manifest['type'];
    });
    const result = await runner.runSchematic('tool', { name: 'radar', path: 'weather' }, tree);
    assert.equal(
      result.readText('/src/weather/weather.module.ts'),
      "import { Module } from '@nestjs/common';\nimport { RadarTool } from './radar/radar.tool';\n\n" +
        '@Module({\n  providers: [RadarTool],\n})\nexport class WeatherModule {}\n',
    );
    assert.doesNotMatch(result.readText('/src/app.module.ts'), /RadarTool/);
    assert.match(result.readText('/src/weather/radar/radar.tool.ts'), /from '\.\/radar\.input';/);
  });

  it('tool: --project generates in that nest-cli.json project', async () => {
    const tree = await runner.runSchematic('tool', { name: 'x' }, app);
    tree.overwrite(
      '/nest-cli.json',
      JSON.stringify({
        monorepo: true,
        sourceRoot: 'apps/api/src',
        projects: { tools: { sourceRoot: 'libs/tools/src' } },
      }),
    );
    tree.create(
      '/libs/tools/src/tools.module.ts',
      "import { Module } from '@nestjs/common';\n\n@Module({ providers: [] })\nexport class ToolsModule {}\n",
    );
    const result = await runner.runSchematic('tool', { name: 'lookup', project: 'tools' }, tree);
    assert.ok(result.exists('/libs/tools/src/lookup/lookup.tool.ts'));
    assert.match(
      result.readText('/libs/tools/src/tools.module.ts'),
      /@Module\(\{ providers: \[LookupTool\] \}\)/,
    );
    await assert.rejects(runner.runSchematic('tool', { name: 'y', project: 'nope' }, tree), /Project "nope"/);
  });

  it('resource: the URI is the argument (the Nest CLI forwards no other option), a template by its {variables}', async () => {
    const fixed = await runner.runSchematic('resource', { name: 'status://now' }, app);
    const fixedSource = fixed.readText('/src/status-now/status-now.resource.ts');
    assert.match(fixedSource, /uri: 'status:\/\/now',/);
    assert.match(fixedSource, /export class StatusNowResource/);
    assert.match(fixedSource, /mimeType: 'text\/plain'/);
    assert.ok(fixed.exists('/src/status-now/status-now.resource.spec.ts'));
    assert.match(fixed.readText('/src/app.module.ts'), /providers: \[AppService, StatusNowResource\]/);
    const byName = await runner.runSchematic('resource', { name: 'status' }, await scratchApp(runner));
    assert.match(byName.readText('/src/status/status.resource.ts'), /uri: 'app:\/\/status',/);

    // As the Nest CLI delivers `docs://pages/{pageId}.md{?lang}`: lower-cased and dasherized.
    const template = await runner.runSchematic(
      'resource',
      { name: 'docs://pages/{page-id}.md{?lang}' },
      await scratchApp(runner),
    );
    const source = template.readText('/src/docs-pages/docs-pages.resource.ts');
    assert.match(source, /export class DocsPagesResource/);
    assert.match(source, /uriTemplate: 'docs:\/\/pages\/\{pageId\}\.md\{\?lang\}',/);
    assert.match(source, /mimeType: 'text\/markdown'/);
    assert.match(source, /variables\['pageId'\]/);
    assert.match(source, /variables\['lang'\]/);
  });

  it('prompt: provider, arguments DTO and spec, registered', async () => {
    const tree = await runner.runSchematic('prompt', { name: 'code-review' }, app);
    const prompt = tree.readText('/src/code-review/code-review.prompt.ts');
    assert.match(prompt, /name: 'code_review'/);
    assert.match(prompt, /arguments: CodeReviewArguments/);
    assert.ok(tree.exists('/src/code-review/code-review.arguments.ts'));
    assert.ok(tree.exists('/src/code-review/code-review.prompt.spec.ts'));
    assert.match(tree.readText('/src/app.module.ts'), /providers: \[AppService, CodeReviewPrompt\]/);
  });

  it('aliases: mcp-tool, mcp-resource, mcp-prompt', async () => {
    let tree = await runner.runSchematic('mcp-tool', { name: 'aliased' }, app);
    tree = await runner.runSchematic('mcp-resource', { name: 'aliased' }, tree);
    tree = await runner.runSchematic('mcp-prompt', { name: 'aliased' }, tree);
    assert.ok(tree.exists('/src/aliased/aliased.tool.ts'));
    assert.ok(tree.exists('/src/aliased/aliased.resource.ts'));
    assert.ok(tree.exists('/src/aliased/aliased.prompt.ts'));
  });

  it('ng-add (also run as nest-add by `nest add`): McpModule.forRoot and the dependency, then nothing the second time', async () => {
    const messages: string[] = [];
    const subscription = runner.logger.subscribe((entry) => messages.push(entry.message));
    const once = await runner.runSchematic('nest-add', {}, app);
    const module = once.readText('/src/app.module.ts');
    assert.match(module, /\nimport \{ McpModule \} from 'nest-mcp';\n/);
    assert.match(
      module,
      /imports: \[McpModule\.forRoot\(\{ serverInfo: \{ name: 'scratch-app', version: '0\.1\.0' \} \}\)\],/,
    );
    const manifest = JSON.parse(once.readText('/package.json')) as { dependencies: Record<string, string> };
    assert.match(manifest.dependencies['nest-mcp']!, /^\^\d+\.\d+\.\d+/);
    assert.deepEqual(Object.keys(manifest.dependencies), Object.keys(manifest.dependencies).toSorted());
    assert.ok(messages.some((message) => message.startsWith('Added McpModule.forRoot')));
    assert.ok(messages.some((message) => message.startsWith('Added nest-mcp@^')));

    messages.length = 0;
    const twice = await runner.runSchematic('ng-add', {}, once);
    for (const file of once.files) assert.equal(twice.readText(file), once.readText(file), file);
    assert.deepEqual(twice.files.toSorted(), once.files.toSorted());
    assert.ok(messages.some((message) => message.endsWith('already imports McpModule; left as is.')));
    assert.ok(messages.some((message) => message === 'nest-mcp is already in package.json; left as is.'));
    subscription.unsubscribe();
  });

  it('ng-add: a package npm installed from a tarball is added with that file: spec, not an unpublished range', async () => {
    app.create(
      '/node_modules/.package-lock.json',
      JSON.stringify({ packages: { 'node_modules/nest-mcp': { resolved: 'file:../nest-mcp-0.1.0.tgz' } } }),
    );
    const tree = await runner.runSchematic('ng-add', {}, app);
    const manifest = JSON.parse(tree.readText('/package.json')) as { dependencies: Record<string, string> };
    assert.equal(manifest.dependencies['nest-mcp'], 'file:../nest-mcp-0.1.0.tgz');
  });

  it('ng-add: fails with a hint when the module file is not there', async () => {
    await assert.rejects(runner.runSchematic('ng-add', { module: 'main.module.ts' }, app), /--module/);
  });
});
