// Copies what tsc does not emit next to the compiled factories: the collection, each schema and
// each schematic's templates. The devkit resolves a schematic's schema and its `url('./files')`
// relative to the factory's own folder, so they must sit beside the built .js files.
import { cpSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const source = dirname(fileURLToPath(import.meta.url));
const target = join(source, '..', 'dist', 'schematics');
const copied = readdirSync(source, { recursive: true })
  .map(String)
  .filter((file) => file === 'collection.json' || file.endsWith('schema.json') || /(^|\/)files$/.test(file));
for (const file of copied) cpSync(join(source, file), join(target, file), { recursive: true });
