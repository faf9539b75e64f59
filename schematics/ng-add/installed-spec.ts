import type { Tree } from '@angular-devkit/schematics';
import { readJson } from '../utils/nest-workspace.js';

interface Lockfile {
  readonly packages?: Record<string, { readonly resolved?: string } | undefined>;
}

/**
 * The dependency spec that brings back the copy of `name` the app has installed: when npm
 * installed it from a local tarball or folder (`npm install ./nest-mcp-0.1.0.tgz --no-save`, or a
 * lockfile that lost its package.json line), that `file:` spec, since a version range would send
 * the next install to a registry that may not have it; otherwise `^version`. npm's lockfile, or
 * the one npm keeps inside node_modules, says which.
 */
export function installedSpec(tree: Tree, name: string, version: string): string {
  for (const lockfile of ['package-lock.json', 'node_modules/.package-lock.json']) {
    const resolved = readJson<Lockfile>(tree, lockfile)?.packages?.[`node_modules/${name}`]?.resolved;
    if (resolved?.startsWith('file:')) return resolved;
  }
  return `^${version}`;
}
