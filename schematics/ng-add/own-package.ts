import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The library's own package name and version, to add as a dependency. */
export interface OwnPackage {
  readonly name: string;
  readonly version: string;
}

/**
 * Reads the library's package.json by walking up from this file: the factory runs from
 * `dist/schematics/ng-add/`, and the package's `exports` do not include its package.json.
 */
export function readOwnPackage(): OwnPackage {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as Partial<OwnPackage>;
      if (manifest.name !== undefined && manifest.version !== undefined) {
        return { name: manifest.name, version: manifest.version };
      }
    }
    if (dirname(dir) === dir) throw new Error('nest-mcp: cannot find its own package.json');
  }
}
