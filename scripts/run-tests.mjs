// Runs every compiled end-to-end spec with Node's own test runner, on the Node that runs npm
// (the system Node 20): inside npm scripts `node` is the Node 22 devDependency.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

// Usage: run-tests.mjs [root] [path substring] [file suffix]. The consumer test (test/consumer,
// `*.consumer.js`) packs the package and installs from the npm registry, so it is its own step
// (`npm run test:consumer`) rather than one of the end-to-end specs.
const [root = 'dist/test', filter = '', suffix = '.spec.js'] = process.argv.slice(2);
// A test file that hangs fails after this long instead of holding CI until its own limit. The
// consumer file builds and runs several fresh apps (npm installs included), so it gets longer.
const TEST_TIMEOUT_MS = suffix === '.consumer.js' ? 15 * 60_000 : 120_000;
const specs = readdirSync(root, { recursive: true })
  .filter((file) => String(file).endsWith(suffix))
  .map((file) => join(root, String(file)))
  .filter((file) => !filter || file.includes(filter))
  .toSorted();
if (specs.length === 0) {
  console.error(`no *${suffix} files under ${root}`);
  process.exit(1);
}
/**
 * The suites whose subject is HTTP behaviour run on Express and on Fastify, each with and
 * without a global prefix (their harnesses read MCP_TEST_PLATFORM and MCP_TEST_PREFIX): one
 * parametrised suite, no copied spec files. Every other spec runs once, in the first pass.
 * The Express fast path is Express-only.
 */
const PLATFORM_SUITES = [
  'auth/',
  'http/',
  'polling/',
  'websocket/',
  'cross-transport/',
  'observability/http-metrics',
  'example/cors',
];
const platformSpecs = specs.filter(
  (file) => PLATFORM_SUITES.some((suite) => file.includes(suite)) && !file.includes('post-fast-path'),
);
const passes = [
  { label: 'Express', files: specs, env: { MCP_TEST_PLATFORM: 'express', MCP_TEST_PREFIX: '' } },
  { label: 'Fastify', files: platformSpecs, env: { MCP_TEST_PLATFORM: 'fastify', MCP_TEST_PREFIX: '' } },
  {
    label: "Express, setGlobalPrefix('api')",
    files: platformSpecs,
    env: { MCP_TEST_PLATFORM: 'express', MCP_TEST_PREFIX: 'api' },
  },
  {
    label: "Fastify, setGlobalPrefix('api')",
    files: platformSpecs,
    env: { MCP_TEST_PLATFORM: 'fastify', MCP_TEST_PREFIX: 'api' },
  },
];

let status = 0;
for (const pass of passes) {
  if (pass.files.length === 0) continue;
  process.stdout.write(`e2e tests on Node ${process.version}, ${pass.label}\n`);
  const result = spawnSync(
    process.execPath,
    ['--test', '--test-concurrency=1', `--test-timeout=${TEST_TIMEOUT_MS}`, ...pass.files],
    { stdio: 'inherit', env: { ...process.env, ...pass.env } },
  );
  if (status === 0) status = result.status ?? 1;
}
process.exit(status);
