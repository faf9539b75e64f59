import type { Path } from '@angular-devkit/core';
import type { DirEntry, Tree } from '@angular-devkit/schematics';

/**
 * The `*.module.ts` closest to `directory`: in it, else in its parent, and so on up to the root —
 * the module `nest g service` would register a provider generated there in.
 */
export function findNearestModule(tree: Tree, directory: Path): Path | undefined {
  for (let dir: DirEntry | null = tree.getDir(directory); dir !== null; dir = dir.parent) {
    const file = dir.subfiles.find((name) => name.endsWith('.module.ts'));
    if (file !== undefined) return dir.file(file)!.path;
  }
  return undefined;
}
