import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { APP_VARIANTS } from './support/app-variants.js';
import { type PackedPackage, packCleanCheckout } from './support/clean-pack.js';
import { npm, tail } from './support/commands.js';
import { ConsumerApp, type RunningApp } from './support/consumer-app.js';
import { readReadmeSnippets } from './support/readme-snippets.js';

/**
 * The package as a new user meets it: packed from a clean checkout, installed into fresh Nest 12
 * apps (see support/app-variants.ts) following the README word for word, scaffolded with the real
 * Nest CLI, built, started, and called with the package's own CLI on every transport.
 */

const INSTALL_TIMEOUT_MS = 10 * 60_000;
const STEP_TIMEOUT_MS = 4 * 60_000;

/** What may ship: the built library and its declarations, the schematics, README, LICENSE. */
const SHIPPED = [
  /^(README\.md|LICENSE|package\.json)$/,
  /^dist\/libs\/mcp\/src\/.+\.(js|d\.ts)$/,
  /^dist\/schematics\/.+\.(js|json)$/,
  /^dist\/schematics\/[^/]+\/files\/[^/]+\.ts\.template$/,
];

/** Where the README's stdio client entry has the user put their app's folder. */
const README_APP_FOLDER = '/absolute/path/to/my-app';

const workdir = mkdtempSync(join(tmpdir(), 'nest-mcp-consumer-'));
const readme = readReadmeSnippets();
let packed: PackedPackage;

before(async () => (packed = await packCleanCheckout(workdir)), { timeout: STEP_TIMEOUT_MS });
after(() => rmSync(workdir, { recursive: true, force: true }));

describe('npm pack of a clean checkout', () => {
  it('builds first (prepack) and ships only the built library, the schematics, README and LICENSE', (t) => {
    assert.deepEqual(
      packed.files.filter((file) => !SHIPPED.some((pattern) => pattern.test(file))),
      [],
    );
    for (const file of [
      'LICENSE',
      'README.md',
      'dist/libs/mcp/src/index.js',
      'dist/libs/mcp/src/index.d.ts',
      'dist/libs/mcp/src/cli/nest-mcp.js',
      'dist/schematics/collection.json',
      'dist/schematics/resource/files/__name@dasherize__.resource.ts.template',
    ]) {
      assert.ok(packed.files.includes(file), `${file} is not in the package`);
    }
    t.diagnostic(
      `${packed.entryCount} files, ${kilobytes(packed.unpackedSize)} unpacked, ${kilobytes(packed.size)} tarball`,
    );
  });

  it('npm publish --dry-run accepts it without a warning about its manifest', async () => {
    const published = await npm(['publish', '--dry-run', '--ignore-scripts'], {
      cwd: packed.checkout,
      timeoutMs: STEP_TIMEOUT_MS,
    });
    assert.equal(published.status, 0, tail(published.output));
    // Only the dry run's own note about not being logged in is expected.
    const warnings = published.output.split('\n').filter((line) => line.startsWith('npm warn'));
    assert.deepEqual(
      warnings.filter((line) => !/requires you to be logged in/.test(line)),
      [],
    );
  });
});

for (const variant of APP_VARIANTS) {
  describe(`a fresh ${variant.label} app`, () => {
    let app: ConsumerApp;
    let server: RunningApp | undefined;
    let started = 0;

    before(async () => {
      started = Date.now();
      const dir = join(workdir, variant.label.replace(/[^a-z\d]+/gi, '-').toLowerCase());
      mkdirSync(dir);
      app = await ConsumerApp.scaffold(dir, variant);
    });
    after(async () => {
      await server?.stop();
    });

    it(
      'installs as the README says, with one @nestjs/core and no DTO package pulled in',
      { timeout: INSTALL_TIMEOUT_MS },
      async () => {
        const [packageLine] = readme.installCommands;
        assert.ok(packageLine?.startsWith('npm install nest-mcp '), `README install line: ${packageLine}`);
        const installed = await app.install(packageLine, packed.tarball);
        assert.equal(installed.status, 0, tail(installed.output));

        const cores = await app.npm(['ls', '@nestjs/core', '--all', '--parseable']);
        assert.deepEqual(cores.stdout.trim().split('\n'), [join(app.dir, 'node_modules', '@nestjs', 'core')]);
        const everything = await app.npm(['ls', '--all', '--parseable']);
        const nested = everything.stdout
          .split('\n')
          .filter((path) => /node_modules\/.+\/node_modules\/@nestjs\//.test(path));
        assert.deepEqual(nested, []);
        if (/^\d/.test(variant.nestVersion)) {
          const core = JSON.parse(app.read('node_modules/@nestjs/core/package.json')) as { version: string };
          assert.equal(core.version, variant.nestVersion);
        }
        const dtoPackages = await app.npm([
          'ls',
          'class-validator',
          'class-transformer',
          'class-validator-jsonschema',
          '--parseable',
        ]);
        assert.equal(dtoPackages.stdout.trim(), '', 'optional peers must not be installed with the package');
      },
    );

    it('loads every entry with require() and import(); runs without the DTO packages until a DTO schema needs them', async () => {
      app.write('optional-peers.cjs', optionalPeersScript(exportedEntries(app)));
      const run = await app.node(['optional-peers.cjs']);
      assert.equal(run.status, 0, tail(run.output));
      const { message } = JSON.parse(run.stdout.trim().split('\n').pop()!) as { message: string };
      assert.match(
        message,
        /The DTO class NoteInput is used as an MCP schema, which needs class-validator, class-transformer, class-validator-jsonschema: npm install class-validator class-transformer class-validator-jsonschema/,
      );
    });

    it(
      'installs the DTO packages and runs the README’s nest add, which imports McpModule once',
      { timeout: INSTALL_TIMEOUT_MS },
      async () => {
        const dtoLine = readme.installCommands[1];
        assert.ok(dtoLine?.includes('class-validator'), `README DTO install line: ${dtoLine}`);
        const installed = await app.install(dtoLine, packed.tarball);
        assert.equal(installed.status, 0, tail(installed.output));

        const added = await app.shell(readme.nestAdd);
        assert.equal(added.status, 0, added.output);
        assert.match(
          app.read('src/app.module.ts'),
          /imports: \[McpModule\.forRoot\(\{ serverInfo: \{ name: 'consumer-app', version: '0\.1\.0' \} \}\)\]/,
        );
        assert.match(app.read('src/app.module.ts'), /import \{ McpModule \} from 'nest-mcp';/);
      },
    );

    it('takes the quick start and the stdio entry as pasted; nest add then leaves the module alone', async () => {
      assert.deepEqual([...readme.files.keys()].toSorted(), [
        'src/app.module.ts',
        'src/main-stdio.ts',
        'src/notes/create-note.input.ts',
        'src/notes/notes.module.ts',
        'src/notes/notes.tools.ts',
      ]);
      for (const [path, contents] of readme.files) app.write(path, contents);
      const module = app.read('src/app.module.ts');
      const again = await app.shell(readme.nestAdd);
      assert.equal(again.status, 0, again.output);
      assert.match(again.output, /already imports McpModule; left as is/);
      assert.equal(app.read('src/app.module.ts'), module);
    });

    it(
      'runs every nest g -c nest-mcp command of the README through the Nest CLI',
      { timeout: STEP_TIMEOUT_MS },
      async () => {
        assert.ok(readme.generateCommands.length >= 4, readme.generateCommands.join('\n'));
        for (const command of readme.generateCommands) {
          const generated = await app.shell(command);
          // The Nest CLI prints a schematic's failure and still exits 0: read what it says.
          assert.equal(generated.status, 0, `${command}\n${generated.output}`);
          assert.match(generated.output, /CREATE/, `${command}\n${generated.output}`);
          assert.doesNotMatch(
            generated.output,
            /error|unknown option|invalid/i,
            `${command}\n${generated.output}`,
          );
        }
        for (const file of [
          'src/probe-weather/probe-weather.tool.ts',
          'src/probe-weather/probe-weather.input.ts',
          'src/status-now/status-now.resource.ts',
          'src/docs-pages/docs-pages.resource.ts',
          'src/health/health.resource.ts',
          'src/code-review/code-review.prompt.ts',
          'src/weather/forecast/forecast.tool.ts',
        ]) {
          assert.ok(existsSync(join(app.dir, file)), `${file} was not generated`);
        }
        assert.ok(!existsSync(join(app.dir, 'src/weather/forecast/forecast.tool.spec.ts')), '--no-spec');
        assert.match(
          app.read('src/docs-pages/docs-pages.resource.ts'),
          /uriTemplate: 'docs:\/\/pages\/\{slug\}\.md'/,
        );
        assert.match(app.read('src/docs-pages/docs-pages.resource.ts'), /mimeType: 'text\/markdown'/);
        assert.match(
          app.read('src/app.module.ts'),
          /providers: \[AppService, ProbeWeatherTool, StatusNowResource, DocsPagesResource, HealthResource, CodeReviewPrompt, ForecastTool\]/,
        );
      },
    );

    it(
      `type-checks every package entry under moduleResolution ${variant.resolutions.map((setting) => setting.moduleResolution).join(', ')}`,
      { timeout: STEP_TIMEOUT_MS },
      async () => {
        for (const setting of variant.resolutions) {
          const checked = await app.checkResolution(exportedEntries(app), setting);
          assert.equal(checked.status, 0, `${setting.moduleResolution}:\n${tail(checked.output)}`);
        }
      },
    );

    it(
      'passes the generated tool spec (nest-mcp/testing, in memory) under the app’s own test runner',
      { timeout: STEP_TIMEOUT_MS },
      async (t) => {
        if (variant.moduleType === 'cjs' && !jestLoadsEsm()) {
          // Not ours to fix: Nest 12's packages (@nestjs/testing first) are ES modules, which Jest
          // loads from a CommonJS spec only where Node has require(esm) for it (Node 24.9+).
          t.skip(
            `Jest needs Node 24.9+ to load @nestjs/testing (ESM); this is Node ${process.versions.node}`,
          );
          return;
        }
        const runner =
          variant.moduleType === 'cjs' ? 'npx jest src/probe-weather' : 'npx vitest run src/probe-weather';
        const ran = await app.shell(runner);
        assert.equal(ran.status, 0, `${runner}\n${tail(ran.output)}`);
        assert.match(ran.output, /2 passed/, tail(ran.output));
      },
    );

    it('builds with nest build', { timeout: STEP_TIMEOUT_MS }, async () => {
      const built = await app.npm(['run', 'build']);
      assert.equal(built.status, 0, tail(built.output));
      assert.ok(existsSync(join(app.dir, 'dist', 'main.js')));
      assert.ok(existsSync(join(app.dir, 'dist', 'main-stdio.js')));
    });

    it(
      'serves the generated and the hand-written tool over Streamable HTTP, WebSocket and polling (nest-mcp call)',
      { timeout: STEP_TIMEOUT_MS },
      async () => {
        server = await app.start();
        const url = readme.httpUrl.replace('http://localhost:3000', server.origin);
        assert.notEqual(url, readme.httpUrl, `README HTTP URL: ${readme.httpUrl}`);
        for (const transport of ['streamable-http', 'websocket', 'polling']) {
          const options = ['--transport', transport];
          const generated = await app.nestMcp([
            '--json',
            'call',
            url,
            'probe_weather',
            '{"query":"rain in Oslo"}',
            ...options,
          ]);
          assertToolText(generated, transport, 'probe_weather received: rain in Oslo');
          const handWritten = await app.nestMcp([
            '--json',
            'call',
            url,
            'create_note',
            '{"title":"Milk","body":"2 litres"}',
            ...options,
          ]);
          assertToolText(handWritten, transport, /^\{"id":\d+,"title":"Milk","body":"2 litres"\}$/);
        }
        // The DTO validates in the app: the optional peers were found, and are the app's own.
        const invalid = await app.nestMcp(['--json', 'call', url, 'create_note', '{"title":"","body":"x"}']);
        assert.equal(invalid.status, 1, invalid.output);
        assert.match(invalid.stdout, /title should not be empty/);
      },
    );

    it('serves the generated resources and prompt to the SDK client over HTTP', async () => {
      assert.ok(server !== undefined, 'the app is not running');
      const client = new Client({ name: 'consumer-test', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(`${server.origin}/mcp`)));
      try {
        const fixed = await client.readResource({ uri: 'status://now' });
        assert.deepEqual(fixed.contents, [
          { uri: 'status://now', mimeType: 'text/plain', text: 'Contents of status://now' },
        ]);
        const page = await client.readResource({ uri: 'docs://pages/intro.md' });
        assert.deepEqual(page.contents, [
          {
            uri: 'docs://pages/intro.md',
            mimeType: 'text/markdown',
            text: 'Contents of docs://pages/intro.md, slug = intro',
          },
        ]);
        const prompt = await client.getPrompt({ name: 'code_review', arguments: { topic: 'tides' } });
        assert.deepEqual(prompt.messages[0]?.content, {
          type: 'text',
          text: 'Write about tides in a neutral tone.',
        });
      } finally {
        await client.close();
      }
    });

    it(
      'serves both tools over stdio, launched the way the README’s client entry launches it',
      { timeout: STEP_TIMEOUT_MS },
      async (t) => {
        const { command, args } = readme.stdioServer;
        assert.ok(
          args.some((arg) => arg.startsWith(README_APP_FOLDER)),
          `README stdio entry: ${command} ${args.join(' ')}`,
        );
        const commandLine = [command, ...args.map((arg) => arg.replace(README_APP_FOLDER, app.dir))]
          .map((part) => `'${part}'`)
          .join(' ');
        const generated = await app.nestMcp([
          '--json',
          'call',
          '--stdio',
          commandLine,
          'probe_weather',
          '{"query":"tides"}',
        ]);
        assertToolText(generated, 'stdio', 'probe_weather received: tides');
        const handWritten = await app.nestMcp([
          '--json',
          'call',
          '--stdio',
          commandLine,
          'create_note',
          '{"title":"Eggs","body":"six"}',
        ]);
        assertToolText(handWritten, 'stdio', '{"id":1,"title":"Eggs","body":"six"}');
        t.diagnostic(
          `${variant.label}: ${Math.round((Date.now() - started) / 1000)} s from scaffold to here`,
        );
      },
    );
  });
}

/** `nest-mcp`, `nest-mcp/client`, ... from the installed package's `exports`. */
function exportedEntries(app: ConsumerApp): string[] {
  const manifest = JSON.parse(app.read('node_modules/nest-mcp/package.json')) as {
    exports: Record<string, unknown>;
  };
  return Object.keys(manifest.exports)
    .filter((key) => key !== './package.json')
    .map((key) => `nest-mcp${key.slice(1)}`);
}

/**
 * CommonJS, so that it runs the same in both kinds of app: loads each entry both ways, then
 * serves a tool without a schema and reports what registering a DTO tool says.
 */
function optionalPeersScript(entries: readonly string[]): string {
  return `const entries = ${JSON.stringify(entries)};
(async () => {
  for (const entry of entries) {
    require(entry);
    await import(entry);
  }
  const { NestFactory } = require('@nestjs/core');
  const { Module } = require('@nestjs/common');
  const { McpModule, McpRegistry } = require('nest-mcp');
  class AppModule {}
  Module({ imports: [McpModule.forRoot({ serverInfo: { name: 'check', version: '1.0.0' } })] })(AppModule);
  const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
  const registry = app.get(McpRegistry);
  registry.addTool({ name: 'plain' }, () => 'ok');
  let message = 'registered without an error';
  try {
    registry.addTool({ name: 'dto', input: class NoteInput {} }, () => 'ok');
  } catch (error) {
    message = error.message;
  }
  await app.close();
  console.log(JSON.stringify({ message }));
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
`;
}

function assertToolText(
  run: { status: number | null; stdout: string; output: string },
  transport: string,
  expected: string | RegExp,
): void {
  assert.equal(run.status, 0, `${transport}: ${run.output}`);
  // --json: the result is all of stdout; the transport line goes to stderr.
  assert.match(run.output, new RegExp(`^transport: ${transport}$`, 'm'));
  const result = JSON.parse(run.stdout) as {
    content: Array<{ type: string; text: string }>;
  };
  const text = result.content[0]?.text ?? '';
  if (typeof expected === 'string') assert.equal(text, expected);
  else assert.match(text, expected);
}

/** Whether Jest can load ES modules from CommonJS specs here (Node 24.9 or later). */
function jestLoadsEsm(): boolean {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  return major > 24 || (major === 24 && minor >= 9);
}

function kilobytes(bytes: number): string {
  return `${(bytes / 1000).toFixed(1)} kB`;
}
