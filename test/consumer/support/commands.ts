import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: this file runs from dist/test/consumer/support/. */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export interface CommandResult {
  readonly status: number | null;
  /** stdout and stderr, interleaved as they came. */
  readonly output: string;
  readonly stdout: string;
}

export interface CommandOptions {
  readonly cwd: string;
  /** Killed (SIGKILL) after this long; the result then has status null. */
  readonly timeoutMs: number;
  readonly env?: Record<string, string>;
}

/**
 * npm settings the user (or CI) chose that the apps' installs should keep: where the cache is,
 * which registry, how to reach it. Every other `npm_*` variable is one `npm test` set for its own
 * scripts (`npm_config_local_prefix` would point a nested npm at this repository).
 */
const USER_NPM_SETTINGS =
  /^npm_config_(cache|registry|cafile|ca|proxy|https_proxy|noproxy|strict_ssl|userconfig|globalconfig)$/i;

/**
 * The environment of every command the consumer test runs, as a user's shell would have it:
 * without the `npm_*` variables of the `npm test` that runs us (but with the user's npm settings,
 * see above) and without this repository's `node_modules/.bin` on PATH (its `node` is the Node 22
 * devDependency), so that `node` is the Node running the tests.
 */
export function userEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || key === 'INIT_CWD' || key === 'NODE_TEST_CONTEXT') continue;
    if (/^npm_/i.test(key) && !USER_NPM_SETTINGS.test(key)) continue;
    env[key] = value;
  }
  const path = (process.env['PATH'] ?? '').split(delimiter).filter((entry) => !entry.startsWith(REPO_ROOT));
  env['PATH'] = [dirname(process.execPath), ...path].join(delimiter);
  return { ...env, ...extra };
}

/** npm's own script, run by this Node: the npm of `npm test`, else the one beside this Node. */
export function npmCli(): string {
  const fromNpm = process.env['npm_execpath'];
  if (fromNpm !== undefined && fromNpm.endsWith('npm-cli.js')) return fromNpm;
  const beside = join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
  if (!existsSync(beside)) throw new Error(`cannot find npm-cli.js (looked at ${beside})`);
  return beside;
}

/** Runs `command args` and collects its output; never rejects. */
export function runCommand(
  command: string,
  args: readonly string[],
  options: CommandOptions,
): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? userEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      output += `\n[killed after ${options.timeoutMs} ms]`;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ status: null, output: `${output}\n${error.message}`, stdout });
    });
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, output, stdout });
    });
  });
}

/** `npm <args>` on this Node. */
export function npm(args: readonly string[], options: CommandOptions): Promise<CommandResult> {
  return runCommand(process.execPath, [npmCli(), ...args], options);
}

/** A command line as a user types it, through the shell, with the app's `node_modules/.bin` first. */
export function shell(commandLine: string, options: CommandOptions): Promise<CommandResult> {
  const env = options.env ?? userEnv();
  const path = [join(options.cwd, 'node_modules', '.bin'), env['PATH'] ?? ''].join(delimiter);
  return runCommand('/bin/sh', ['-c', commandLine], { ...options, env: { ...env, PATH: path } });
}

/** The last `lines` lines of a command's output, for assertion messages. */
export function tail(output: string, lines = 40): string {
  return output.split('\n').slice(-lines).join('\n');
}
