// Runs the official MCP conformance suites against the conformance fixture server and prints
// one table per run, then the tasks extension's totals (not scored) on a line of their own, and a
// last line `N passed, M failed` over the scored checks of all runs.
//
// The fixture server runs on the Node that runs this script (the system Node 20, as the
// library's users would run it); the conformance CLIs need Node 22, so they are started
// explicitly with the `node22` devDependency's binary.
//
// Scored: every check of the 0.1.16 active suite, and the checks of the scenarios a frozen
// requirement set lists under `server:`. Reported apart: what a requirement set lists under
// `not_scored` (the tasks extension, pending scenarios such as header validation and SSE
// polling, scenarios added after the revision shipped).
//
// Client leg: each requirement set's `client:` scenarios run one by one against our fallback
// client (test/conformance/client), at that revision's wire, in two runs: without OAuth, and the
// OAuth ones (`auth/*`, through the SDK's OAuth provider the client accepts); the client-leg
// `not_scored` scenarios of each are run and reported apart.
/* oxlint-disable no-console -- a command-line script: the table on stdout is its output */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const NODE22 = join(root, 'node_modules/node22/bin/node');
const SERVER_ENTRY = join(root, 'dist/test/conformance/conformance-server.js');
const RESULTS_DIR = join(root, 'conformance-results');
const STABLE_CLI = join(root, 'node_modules/@modelcontextprotocol/conformance/dist/index.js');
const NEXT_CLI = join(root, 'node_modules/conformance-next/dist/index.js');
const NEXT_REQUIREMENTS = join(root, 'node_modules/conformance-next/requirements');
const CLIENT_ENTRY = join(root, 'dist/test/conformance/client/conformance-client.js');
/** One client scenario takes a second or two; this bounds a client that hangs. */
const CLIENT_SCENARIO_TIMEOUT_MS = 60_000;

/** A whole run takes well under a minute; these bound a hung server or CLI. */
const SERVER_READY_TIMEOUT_MS = 30_000;
const RUN_TIMEOUT_MS = 8 * 60_000;

/** The fixture's HTTP platforms (`MCP_PLATFORM` of the server process). */
const PLATFORMS = ['express', 'fastify'];

const runs = [
  {
    label: 'conformance 0.1.16, active suite',
    dir: 'stable-active',
    cli: STABLE_CLI,
    args: ['--suite', 'active'],
    notScored: new Map(),
  },
  ...['2025-11-25', '2026-07-28'].map((revision) => ({
    label: `conformance 0.2.0-alpha.12, --requirements ${revision}`,
    dir: `next-${revision}`,
    cli: NEXT_CLI,
    args: ['--requirements', revision],
    notScored: readNotScored(join(NEXT_REQUIREMENTS, `${revision}.yaml`)),
  })),
];

/**
 * The 2025-11-25 (sessions) and 2026-07-28 server suites again, through a round-robin nginx in
 * front of three fixture instances sharing state on Redis (REDIS_URL, default the machine's
 * 127.0.0.1:6379), under a key prefix of this run's own: every request may land on any instance.
 */
const fleetRuns = [runs[1], runs[2]].map((run) => ({
  ...run,
  label: `${run.label}, 3 instances on Redis behind nginx`,
  dir: `fleet-${run.dir.slice('next-'.length)}`,
}));
const FLEET_SIZE = 3;

const clientRuns = ['2025-11-25', '2026-07-28'].flatMap((revision) =>
  [false, true].map((oauth) => ({
    label: `conformance 0.2.0-alpha.12 client leg, --requirements ${revision}, ${oauth ? 'OAuth (auth/*)' : 'without OAuth'}`,
    dir: `client-${oauth ? 'auth-' : ''}${revision}`,
    revision,
    // The OAuth extensions (client credentials, DPoP, ...) are off the spec timeline: the CLI
    // skips them unless forced, and they are listed to be run and reported apart.
    forceNotScored: oauth,
    ...readClientScenarios(join(NEXT_REQUIREMENTS, `${revision}.yaml`), oauth),
  })),
);

const children = new Set();
let server;

main().then(
  (code) => finish(code),
  (error) => {
    console.error(`conformance: ${error instanceof Error ? error.stack : String(error)}`);
    finish(2);
  },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => finish(130));

async function main() {
  for (const path of [NODE22, SERVER_ENTRY, STABLE_CLI, NEXT_CLI, CLIENT_ENTRY]) {
    if (!existsSync(path)) throw new Error(`missing ${path} (run npm install and npm run build first)`);
  }
  rmSync(RESULTS_DIR, { recursive: true, force: true });
  mkdirSync(RESULTS_DIR, { recursive: true });

  let scored = { passed: 0, failed: 0 };
  // The tasks extension's scenarios (not scored), totalled apart so they can be quoted.
  const tasks = { passed: 0, failed: 0 };
  const addTasks = (totals) => {
    tasks.passed += totals.tasks.passed;
    tasks.failed += totals.tasks.failed;
  };
  // The server suites run against the fixture on each HTTP platform Nest offers.
  for (const platform of PLATFORMS) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/mcp`;
    server = startServer(port, { MCP_PLATFORM: platform });
    await waitForServer(url, server);
    for (const run of runs) {
      const outputDir = join(RESULTS_DIR, platform, run.dir);
      const started = Date.now();
      const exit = await runCli(run, url, outputDir);
      if (server.exitCode !== null)
        throw new Error(`the conformance server exited (${server.exitCode}) during ${run.label}`);
      const rows = readResults(outputDir, run.notScored);
      const totals = printRun(
        { ...run, label: `${run.label}, on ${platform}` },
        rows,
        exit,
        Date.now() - started,
      );
      scored = { passed: scored.passed + totals.passed, failed: scored.failed + totals.failed };
      addTasks(totals);
    }
    server.kill('SIGTERM');
    children.delete(server);
  }
  {
    const started = Date.now();
    const fleet = await startFleet();
    try {
      for (const [index, fleetRun] of fleetRuns.entries()) {
        const runStarted = index === 0 ? started : Date.now();
        const outputDir = join(RESULTS_DIR, fleetRun.dir);
        const exit = await runCli(fleetRun, fleet.url, outputDir);
        const rows = readResults(outputDir, fleetRun.notScored);
        const totals = printRun(fleetRun, rows, exit, Date.now() - runStarted);
        scored = { passed: scored.passed + totals.passed, failed: scored.failed + totals.failed };
        addTasks(totals);
      }
    } finally {
      await fleet.stop();
    }
  }
  for (const run of clientRuns) {
    const outputDir = join(RESULTS_DIR, run.dir);
    const started = Date.now();
    const exit = await runClientScenarios(run, outputDir);
    const rows = readResults(outputDir, run.notScored);
    const totals = printRun(run, rows, exit, Date.now() - started);
    scored = { passed: scored.passed + totals.passed, failed: scored.failed + totals.failed };
    addTasks(totals);
  }
  console.log(`Artifacts: ${RESULTS_DIR}`);
  console.log(`tasks extension (not scored): ${tasks.passed} passed, ${tasks.failed} failed`);
  console.log(`${scored.passed} passed, ${scored.failed} failed`);
  return scored.failed === 0 ? 0 : 1;
}

function finish(code) {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  process.exit(code);
}

// ---- server ----------------------------------------------------------------------------------

function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

function startServer(port, env = {}) {
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  // Kept for the failure report; the server's own logs are not part of the table.
  child.log = '';
  const keep = (chunk) => {
    child.log = (child.log + chunk).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return child;
}

async function waitForServer(url, child) {
  const deadline = Date.now() + SERVER_READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the conformance server exited early:\n${child.log}`);
    try {
      // Any HTTP answer means the route is up; a bare GET without a session is refused, which is fine.
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((resolveSleep) => setTimeout(resolveSleep, 200));
    }
  }
  throw new Error(`the conformance server did not answer on ${url} within ${SERVER_READY_TIMEOUT_MS} ms`);
}

/** Three fixture instances on Redis behind nginx (the test support's balancer and key helpers). */
const fleetSupport = (file) => import(pathToFileURL(join(root, 'dist/test/fleet/support', file)).href);

async function startFleet() {
  const { NginxBalancer } = await fleetSupport('nginx-balancer.js');
  const { SHARED_REDIS_URL, deleteKeys, testKeyPrefix } = await fleetSupport('redis-server.js');
  const prefix = testKeyPrefix('conformance');
  const env = {
    REDIS_URL: process.env.REDIS_URL ?? SHARED_REDIS_URL,
    MCP_REDIS_PREFIX: prefix,
    MCP_REQUEST_STATE_KEY: randomBytes(48).toString('base64url'),
  };
  const instances = [];
  for (let index = 0; index < FLEET_SIZE; index++) {
    const port = await freePort();
    const child = startServer(port, env);
    await waitForServer(`http://127.0.0.1:${port}/mcp`, child);
    instances.push({ port, child });
  }
  const balancer = await NginxBalancer.start(instances.map((instance) => instance.port));
  return {
    url: balancer.url,
    async stop() {
      await balancer.stop();
      for (const { child } of instances) child.kill('SIGKILL');
      await deleteKeys(env.REDIS_URL, prefix);
    },
  };
}

// ---- conformance CLI ---------------------------------------------------------------------------

function runCli(run, url, outputDir) {
  mkdirSync(outputDir, { recursive: true });
  const args = [run.cli, 'server', '--url', url, ...run.args, '-o', outputDir];
  // The CLI's own output stays on disk for whoever needs the details of a failure.
  return spawnCli(args, join(outputDir, 'cli-output.txt'), RUN_TIMEOUT_MS);
}

/**
 * The client leg: one CLI run per scenario (`--scenario` at the revision's `--spec-version`),
 * each spawning our conformance client with the scenario's URL. Exit: the worst of the runs.
 */
async function runClientScenarios(run, outputDir) {
  mkdirSync(outputDir, { recursive: true });
  const command = `${process.execPath} ${CLIENT_ENTRY}`;
  let worst = { code: 0, signal: null };
  for (const scenario of [...run.scenarios, ...run.notScored.keys()]) {
    const args = [
      NEXT_CLI,
      'client',
      '--command',
      command,
      '--scenario',
      scenario,
      '--spec-version',
      run.revision,
      '--timeout',
      String(CLIENT_SCENARIO_TIMEOUT_MS / 2),
      '-o',
      outputDir,
      ...(run.forceNotScored && run.notScored.has(scenario) ? ['--force'] : []),
    ];
    const exit = await spawnCli(
      args,
      join(outputDir, `cli-output-${scenario.replaceAll('/', '_')}.txt`),
      CLIENT_SCENARIO_TIMEOUT_MS,
    );
    if (exit.code !== 0 && worst.code === 0) worst = exit;
  }
  return worst;
}

function spawnCli(args, logFile, timeoutMs) {
  return new Promise((resolveRun) => {
    const child = spawn(NODE22, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let log = '';
    const keep = (chunk) => (log += chunk);
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => {
      log += `\n[conformance.mjs] killed after ${timeoutMs} ms\n`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      writeFileSync(logFile, log);
      resolveRun({ code, signal });
    });
  });
}

/**
 * One row per scenario directory: `server-<scenario>-<timestamp>/checks.json` for the server
 * leg, `<scenario>-<timestamp>/checks.json` for the client leg.
 */
function readResults(outputDir, notScored, prefix = '') {
  const rows = [];
  for (const entry of readdirSync(outputDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const match = /^(?:server-)?(.+)-\d{4}-\d{2}-\d{2}T[\d-]+Z$/.exec(entry.name);
    // Scenario names with a slash (`auth/metadata-default`) get a directory per segment.
    if (!match && !existsSync(join(outputDir, entry.name, 'checks.json'))) {
      rows.push(...readResults(join(outputDir, entry.name), notScored, `${prefix}${entry.name}/`));
      continue;
    }
    const scenario = `${prefix}${match ? match[1] : entry.name}`;
    const file = join(outputDir, entry.name, 'checks.json');
    let checks = [];
    let error;
    try {
      checks = JSON.parse(readFileSync(file, 'utf8'));
    } catch (cause) {
      error = `no readable checks.json (${cause instanceof Error ? cause.message : String(cause)})`;
    }
    const count = (status) => checks.filter((check) => check.status === status).length;
    rows.push({
      scenario,
      passed: count('SUCCESS'),
      // A scenario that produced no checks at all failed to run: count it as one failure.
      failed: count('FAILURE') + (error ? 1 : 0),
      warnings: count('WARNING'),
      failures: checks
        .filter((check) => check.status === 'FAILURE')
        .map((check) => `${check.id}: ${check.errorMessage ?? check.description ?? ''}`.slice(0, 300))
        .concat(error ? [error] : []),
      notScored: notScored.get(scenario),
    });
  }
  return rows.toSorted((a, b) => a.scenario.localeCompare(b.scenario));
}

const sum = (list, key) => list.reduce((total, row) => total + row[key], 0);

function printRun(run, rows, exit, elapsedMs) {
  const scoredRows = rows.filter((row) => row.notScored === undefined);
  const otherRows = rows.filter((row) => row.notScored !== undefined);
  const taskRows = rows.filter((row) => row.scenario.startsWith('tasks-'));
  const totals = {
    passed: sum(scoredRows, 'passed'),
    failed: sum(scoredRows, 'failed'),
    tasks: { passed: sum(taskRows, 'passed'), failed: sum(taskRows, 'failed') },
  };
  if (rows.length === 0) totals.failed += 1;

  console.log(`\n== ${run.label} (${(elapsedMs / 1000).toFixed(1)} s, CLI exit ${exit.code ?? exit.signal})`);
  printTable(scoredRows, false);
  if (otherRows.length > 0) {
    console.log(`-- not scored (extension, pending, added after release)`);
    printTable(otherRows, true);
    console.log(
      `   not scored: ${sum(otherRows, 'passed')} passed, ${sum(otherRows, 'failed')} failed in ${otherRows.length} scenarios`,
    );
    if (taskRows.length > 0) {
      console.log(
        `   tasks extension: ${totals.tasks.passed} passed, ${totals.tasks.failed} failed in ${taskRows.length} scenarios`,
      );
    }
  }
  if (rows.length === 0) console.log('   no results: see cli-output.txt');
  console.log(`   scored: ${totals.passed} passed, ${totals.failed} failed`);
  return totals;
}

function printTable(rows, withReason) {
  const width = Math.max(8, ...rows.map((row) => row.scenario.length));
  for (const row of rows) {
    const mark = row.failed > 0 ? 'FAIL' : 'ok  ';
    const reason = withReason ? `  [${row.notScored}]` : '';
    const warnings = row.warnings > 0 ? `  ${row.warnings} warning(s)` : '';
    console.log(
      `   ${mark} ${row.scenario.padEnd(width)} ${String(row.passed).padStart(3)} passed ${String(row.failed).padStart(3)} failed${warnings}${reason}`,
    );
    for (const failure of row.failures) console.log(`          - ${failure}`);
  }
}

// ---- requirement sets ------------------------------------------------------------------------

/**
 * The client leg of a frozen requirement set: the `client:` scenarios (scored) and the
 * client-leg `not_scored` ones (scenario -> reason), either the OAuth ones (`auth/*`) or the rest.
 */
function readClientScenarios(file, oauth) {
  const scenarios = [];
  let section;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const top = /^([a-z_]+):\s*$/.exec(line);
    if (top) {
      section = top[1];
      continue;
    }
    const item = /^\s*-\s*(\S+)\s*$/.exec(line);
    if (section === 'client' && item && item[1].startsWith('auth/') === oauth) scenarios.push(item[1]);
  }
  const notScored = new Map();
  for (const [scenario, reason] of readNotScored(file, 'client')) {
    if (scenario.startsWith('auth/') === oauth) notScored.set(scenario, reason);
  }
  return { scenarios, notScored };
}

/**
 * The server-leg `not_scored` entries of a frozen requirement set, scenario -> reason. The
 * files have one fixed shape (`- scenario:` then indented `leg:` and `reason:`), so a line
 * reader is enough and no YAML dependency is needed.
 */
function readNotScored(file, leg = 'server') {
  const result = new Map();
  let section;
  let current;
  const flush = () => {
    if (current?.leg === leg && current.scenario)
      result.set(current.scenario, current.reason ?? 'not scored');
    current = undefined;
  };
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const top = /^([a-z_]+):\s*$/.exec(line);
    if (top) {
      flush();
      section = top[1];
      continue;
    }
    if (section !== 'not_scored') continue;
    const item = /^\s*-\s*scenario:\s*(\S+)/.exec(line);
    if (item) {
      flush();
      current = { scenario: item[1] };
      continue;
    }
    const field = /^\s+(leg|reason):\s*(\S+)/.exec(line);
    if (field && current) current[field[1]] = field[2];
  }
  flush();
  return result;
}
