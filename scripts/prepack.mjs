// `npm pack` / `npm publish` build first, from nothing: dist is removed so that no output of a
// deleted source (or of a different branch) can slip into the package through the `files` globs.
// The build runs on the Node and npm that run this script (see scripts/test.mjs for why not
// `npm run build` from PATH inside npm scripts).
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';

const npmCli = process.env.npm_execpath;
if (npmCli === undefined) {
  console.error('scripts/prepack.mjs is run by npm (prepack)');
  process.exit(1);
}
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
const result = spawnSync(process.execPath, [npmCli, 'run', '--silent', 'build'], { stdio: 'inherit' });
process.exit(result.status ?? 1);
