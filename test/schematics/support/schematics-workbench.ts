import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SchematicTestRunner, type UnitTestTree } from '@angular-devkit/schematics/testing/index.js';

/** The repository root: this file runs from dist/test/schematics/support/. */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** The built collection; `npm run build` builds it (schematics/tsconfig.json, copy-assets.mjs). */
export const COLLECTION = join(REPO_ROOT, 'dist', 'schematics', 'collection.json');

export function createRunner(): SchematicTestRunner {
  if (!existsSync(COLLECTION)) {
    throw new Error(`${COLLECTION} is missing: build the schematics first (npm run build:schematics)`);
  }
  return new SchematicTestRunner('nest-mcp', COLLECTION);
}

/**
 * A new Nest 12 application (ESM, the CLI's default) from @nestjs/schematics' own `application`
 * schematic, at the tree's root as `nest new .` would lay it out.
 */
export function scratchApp(runner: SchematicTestRunner): Promise<UnitTestTree> {
  return runner.runExternalSchematic('@nestjs/schematics', 'application', {
    name: 'scratch-app',
    directory: '.',
  });
}

/** Rewrites the tree's package.json through `edit`. */
export function editPackageJson(tree: UnitTestTree, edit: (manifest: Record<string, any>) => void): void {
  const manifest = JSON.parse(tree.readText('/package.json')) as Record<string, any>;
  edit(manifest);
  tree.overwrite('/package.json', JSON.stringify(manifest, null, 2));
}

/** A fresh temporary folder. */
export function temporaryDirectory(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `nest-mcp-${prefix}-`));
}

/** Writes every file of the tree under `directory`. */
export function writeTree(tree: UnitTestTree, directory: string): void {
  for (const file of tree.files) {
    const target = join(directory, file);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, tree.readContent(file));
  }
}

/**
 * A node_modules under `directory` that resolves like this repository's (one link per entry),
 * plus `nest-mcp` linked to `packageRoot`: generated code imports the library by its package
 * name, as an application that installed it would. Node follows links to real paths, so the
 * generated code and these tests share one copy of Nest and of the library.
 */
export function linkNodeModules(directory: string, packageRoot = REPO_ROOT): void {
  const modules = join(directory, 'node_modules');
  mkdirSync(modules, { recursive: true });
  const source = join(REPO_ROOT, 'node_modules');
  for (const entry of readdirSync(source)) symlinkSync(join(source, entry), join(modules, entry));
  symlinkSync(packageRoot, join(modules, 'nest-mcp'));
}

export interface CommandResult {
  readonly status: number | null;
  readonly output: string;
}

/** Runs a Node script (tsc, the Nest CLI, node --test) on the Node running the tests. */
export function runNode(args: string[], cwd: string): CommandResult {
  // Without this, a `node --test` child believes it runs inside this test file and skips its files.
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const result = spawnSync(process.execPath, args, {
    cwd,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Type-checks and emits the project at `cwd` with this repository's TypeScript. */
export function compile(cwd: string, project = 'tsconfig.json'): CommandResult {
  return runNode([join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], cwd);
}
