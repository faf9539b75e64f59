import { SchematicsException, type Tree } from '@angular-devkit/schematics';

/** The parts of nest-cli.json the schematics read. */
export interface NestCliConfig {
  readonly sourceRoot?: string;
  readonly projects?: Record<string, { readonly root?: string; readonly sourceRoot?: string }>;
}

/** The parsed JSON file at `path`, or undefined when the tree has no such file. */
export function readJson<T>(tree: Tree, path: string): T | undefined {
  const buffer = tree.read(path);
  if (buffer === null) return undefined;
  try {
    return JSON.parse(buffer.toString('utf8')) as T;
  } catch (error) {
    throw new SchematicsException(`${path} is not valid JSON: ${(error as Error).message}`);
  }
}

/** nest-cli.json (or the older nest.json), if the workspace has one. */
export function readNestCliConfig(tree: Tree): NestCliConfig | undefined {
  return readJson<NestCliConfig>(tree, 'nest-cli.json') ?? readJson<NestCliConfig>(tree, 'nest.json');
}

/**
 * Whether the tree is a workspace root, in which case generated paths are taken relative to the
 * source root, as `nest g service` does; outside one they are taken as given.
 */
export function isWorkspaceRoot(tree: Tree): boolean {
  return ['nest-cli.json', 'nest.json', 'tsconfig.json', 'package.json'].some((file) => tree.exists(file));
}

/**
 * The source root to generate into. The Nest CLI resolves `--project` itself and passes that
 * project's `sourceRoot`; run through `schematics` or a test runner, `project` is resolved here
 * from nest-cli.json so both routes land in the same folder.
 */
export function resolveSourceRoot(tree: Tree, options: { project?: string; sourceRoot?: string }): string {
  const config = readNestCliConfig(tree);
  if (options.project !== undefined && options.project !== '') {
    const project = config?.projects?.[options.project];
    if (project === undefined) {
      const known = Object.keys(config?.projects ?? {}).join(', ') || 'none';
      throw new SchematicsException(
        `Project "${options.project}" is not in nest-cli.json (projects: ${known}).`,
      );
    }
    return project.sourceRoot ?? (project.root !== undefined ? `${project.root}/src` : 'src');
  }
  return options.sourceRoot ?? config?.sourceRoot ?? 'src';
}

/** Whether package.json declares ES modules, in which case relative imports need a `.js` suffix. */
export function isEsmPackage(tree: Tree): boolean {
  return readJson<{ type?: string }>(tree, 'package.json')?.type === 'module';
}

/**
 * Which test runner the generated spec is written for: `globals` when the project has Jest or
 * Vitest (Nest's templates configure both with global `describe`/`it`), `node` (node:test, no
 * dependency) otherwise.
 */
export function detectTestRunner(tree: Tree): 'globals' | 'node' {
  const manifest = readJson<Record<string, Record<string, string> | undefined>>(tree, 'package.json');
  const declared = { ...manifest?.['dependencies'], ...manifest?.['devDependencies'] };
  return 'jest' in declared || 'vitest' in declared ? 'globals' : 'node';
}
