import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  COLLECTION,
  compile,
  linkNodeModules,
  REPO_ROOT,
  runNode,
  temporaryDirectory,
} from './support/schematics-workbench.js';

/** What a copy of the repository needs: its sources and configuration, not its outputs. */
const COPIED = [
  'libs',
  'src',
  'test',
  'bench',
  'package.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'nest-cli.json',
];

/**
 * The user's route: the Nest CLI, `nest g -c nest-mcp tool probe-weather`, in a copy of this
 * repository. The collection is found through the package.json `schematics` field of the package
 * `nest-mcp` (the copy itself, linked into its node_modules), exactly as in an application that
 * installed the library. A path given to `-c` would not do: the schematics CLI treats path
 * collections as local and defaults them to a dry run.
 */
describe('nest g -c nest-mcp tool in a copy of this repository', () => {
  let copy: string;

  before(() => {
    assert.ok(existsSync(COLLECTION), `${COLLECTION} is missing: build the schematics first`);
    copy = temporaryDirectory('repo-copy');
    for (const entry of COPIED) {
      if (existsSync(join(REPO_ROOT, entry)))
        cpSync(join(REPO_ROOT, entry), join(copy, entry), { recursive: true });
    }
    cpSync(join(REPO_ROOT, 'dist', 'schematics'), join(copy, 'dist', 'schematics'), { recursive: true });
    // The package.json fields the collection needs (see the schematics README section); set here
    // so that the test holds whether or not the repository's package.json has them yet.
    const manifestPath = join(copy, 'package.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, any>;
    manifest['schematics'] = './dist/schematics/collection.json';
    manifest['exports']['./package.json'] = './package.json';
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
    linkNodeModules(copy, copy);
  });
  after(() => {
    if (copy !== undefined) rmSync(copy, { recursive: true, force: true });
  });

  it('creates the tool, registers it in the app module, and the copy still builds', () => {
    const nest = join(REPO_ROOT, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js');
    // nest-cli.json is a monorepo here: without --project the CLI would ask which project.
    const generated = runNode(
      [nest, 'g', '-c', 'nest-mcp', 'tool', 'probe-weather', '--project', 'example'],
      copy,
    );
    assert.equal(generated.status, 0, generated.output);
    assert.match(generated.output, /CREATE\S* src\/probe-weather\/probe-weather\.tool\.ts/);
    assert.match(generated.output, /UPDATE\S* src\/app\.module\.ts/);
    for (const file of ['probe-weather.tool.ts', 'probe-weather.input.ts', 'probe-weather.tool.spec.ts']) {
      assert.ok(existsSync(join(copy, 'src', 'probe-weather', file)), file);
    }
    const module = readFileSync(join(copy, 'src', 'app.module.ts'), 'utf8');
    assert.match(module, /import \{ ProbeWeatherTool \} from '\.\/probe-weather\/probe-weather\.tool\.js';/);
    assert.match(module, /providers: \[ProbeWeatherTool\]/);

    const built = compile(copy);
    assert.equal(built.status, 0, built.output);
    assert.ok(existsSync(join(copy, 'dist', 'src', 'probe-weather', 'probe-weather.tool.js')));
  });
});
