// `npm test`: lint, build, end-to-end tests, the consumer test (the packed package in fresh
// Nest apps), conformance, in that order, stopping at the first failure. Each step is run as `npm run <step>` by the npm and Node that run this
// script. Why not `npm run a && npm run b` in package.json: inside npm scripts the `node`
// on PATH is the Node 22 devDependency (its bin is named `node`), so a nested `npm` would
// start on Node 22 and the project's own tests would silently run there instead of on the
// machine's Node (>= 20.19), which is what the library supports.
import { spawnSync } from 'node:child_process';

const steps = ['lint', 'build', 'test:e2e', 'test:consumer', 'conformance'];
const npmCli = process.env.npm_execpath;
if (npmCli === undefined) {
  console.error('scripts/test.mjs is run by `npm test`');
  process.exit(1);
}
for (const step of steps) {
  const result = spawnSync(process.execPath, [npmCli, 'run', '--silent', step], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`npm test: step '${step}' failed`);
    process.exit(result.status ?? 1);
  }
}
