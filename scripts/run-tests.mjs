// Runs every compiled end-to-end spec with Node's own test runner, on the Node that runs npm
// (the system Node 20): inside npm scripts `node` is the Node 22 devDependency.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

// A test that hangs fails after this long instead of holding CI until its own limit.
const TEST_TIMEOUT_MS = 120_000;
// Usage: run-tests.mjs [root] [path substring] [file suffix]. The consumer test (test/consumer,
// `*.consumer.js`) packs the package and installs from the npm registry, so it is its own step
// (`npm run test:consumer`) rather than one of the end-to-end specs.
const [root = 'dist/test', filter = '', suffix = '.spec.js'] = process.argv.slice(2);
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
 * The suites whose subject is HTTP behaviour run a second time on Fastify (their harnesses read
 * MCP_TEST_PLATFORM): one parametrised suite, no copied spec files. The Express fast path is
 * Express-only.
 */
const FASTIFY_SUITES = [
  'http/',
  'polling/',
  'websocket/',
  'cross-transport/',
  'observability/http-metrics',
  'example/cors',
];
const fastifySpecs = specs.filter(
  (file) => FASTIFY_SUITES.some((suite) => file.includes(suite)) && !file.includes('post-fast-path'),
);

function run(label, files, env) {
  process.stdout.write(`e2e tests on Node ${process.version}, ${label}\n`);
  const result = spawnSync(
    process.execPath,
    ['--test', '--test-concurrency=1', `--test-timeout=${TEST_TIMEOUT_MS}`, ...files],
    { stdio: 'inherit', env: { ...process.env, ...env } },
  );
  return result.status ?? 1;
}

const express = run('Express', specs, { MCP_TEST_PLATFORM: 'express' });
const fastify =
  fastifySpecs.length === 0 ? 0 : run('Fastify', fastifySpecs, { MCP_TEST_PLATFORM: 'fastify' });
process.exit(express !== 0 ? express : fastify);
