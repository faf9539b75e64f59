import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type ExampleServer, startExampleServer } from '../client/support/example-server.js';

const CLI = join(import.meta.dirname, '../../libs/mcp/src/cli/nest-mcp.js');
const STDIO_SERVER = `"${process.execPath}" "${join(import.meta.dirname, '../../src/main-stdio.js')}"`;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function nestMcp(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * The CLI's task commands against the example app's `export_notes` (issue 15): start a task,
 * follow it to its question, answer it, follow it to its result; cancel another.
 */
describe('nest-mcp task commands', () => {
  let server: ExampleServer;
  let url: string;
  before(async () => {
    server = await startExampleServer();
    url = `${server.origin}/mcp`;
  });
  after(() => server.close());

  it('starts, follows, answers and finishes a task', async () => {
    const started = await nestMcp('--json', 'task-start', url, 'export_notes', '{"pauseMs":5}');
    assert.equal(started.code, 0, started.stderr);
    const task = JSON.parse(started.stdout);
    assert.equal(task.status, 'working');
    const asked = await nestMcp('task-follow', url, task.taskId);
    assert.equal(asked.code, 0, asked.stderr);
    assert.match(asked.stdout, new RegExp(`^task ${task.taskId}: input_required`, 'm'));
    assert.match(asked.stdout, /title: elicitation\/create/);
    const answered = await nestMcp(
      'task-update',
      url,
      task.taskId,
      '{"title":{"action":"accept","content":{"title":"From the CLI"}}}',
    );
    assert.equal(answered.code, 0, answered.stderr);
    const done = await nestMcp('task-follow', url, task.taskId);
    assert.equal(done.code, 0, done.stderr);
    assert.match(done.stdout, /: completed/);
    assert.match(done.stdout, /# From the CLI/);
  });

  it('cancels a task; reading it then shows it cancelled (exit 1)', async () => {
    const started = await nestMcp('--json', 'task-start', url, 'export_notes', '{"pauseMs":60000}');
    const { taskId } = JSON.parse(started.stdout);
    const cancelled = await nestMcp('task-cancel', url, taskId);
    assert.equal(cancelled.code, 0, cancelled.stderr);
    const read = await nestMcp('task-get', url, taskId);
    assert.equal(read.code, 1);
    assert.match(read.stdout, new RegExp(`^task ${taskId}: cancelled`, 'm'));
    assert.match(read.stderr, /the task was cancelled/);
    assert.doesNotMatch(read.stderr, /reported an error/);
  });

  it('reports an unknown task as refused (4) and a missing task id as a usage error (2)', async () => {
    const unknown = await nestMcp('task-get', url, 'no-such-task');
    assert.equal(unknown.code, 4);
    assert.match(unknown.stderr, /Task not found/);
    const missing = await nestMcp('task-cancel', url);
    assert.equal(missing.code, 2);
  });

  it('starts a task over stdio', async () => {
    const started = await nestMcp('--json', 'task-start', '--stdio', STDIO_SERVER, 'export_notes');
    assert.equal(started.code, 0, started.stderr);
    assert.equal(JSON.parse(started.stdout).status, 'working');
  });
});
