import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startExampleServer, type ExampleServer } from './support/example-server.js';
import { Middlebox } from './support/middlebox.js';

const CLI = join(import.meta.dirname, '../../libs/mcp/src/cli/nest-mcp.js');
/** The example app's stdio entry, as a shell command line for `--stdio`. */
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

/** First line, then the JSON that follows it. */
function split(stdout: string): { first: string; json: any } {
  const newline = stdout.indexOf('\n');
  return { first: stdout.slice(0, newline), json: JSON.parse(stdout.slice(newline + 1)) };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('nest-mcp CLI', () => {
  let server: ExampleServer;
  let url: string;
  before(async () => {
    server = await startExampleServer();
    url = `${server.origin}/mcp`;
  });
  after(() => server.close());

  it('call prints the transport, then the tool result as JSON', async () => {
    const run = await nestMcp('call', url, 'search_notes', '{"query":"Welcome"}');
    assert.equal(run.code, 0, run.stderr);
    const { first, json } = split(run.stdout);
    assert.equal(first, 'transport: streamable-http');
    assert.equal(json.structuredContent.notes[0].title, 'Welcome');
  });

  it('ends quietly with 0 when the reader closes its output early (nest-mcp tools URL | head)', async () => {
    const child = spawn(process.execPath, [CLI, 'tools', url], { stdio: ['ignore', 'pipe', 'pipe'] });
    // The reader is gone before the first line: every write the CLI makes meets EPIPE.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 0, stderr);
    assert.doesNotMatch(stderr, /EPIPE|Unhandled/);
  });

  it('tools lists the tools', async () => {
    const run = await nestMcp('tools', url);
    assert.equal(run.code, 0, run.stderr);
    const { first, json } = split(run.stdout);
    assert.equal(first, 'transport: streamable-http');
    assert.deepEqual(json.map((tool: { name: string }) => tool.name).toSorted(), [
      'add_tag_shortcut',
      'create_note',
      'delete_note',
      'draft_note',
      'search_notes',
      'summarize_notes',
    ]);
  });

  for (const transport of ['streamable-http', 'websocket', 'polling']) {
    it(`--transport ${transport} is used and named`, async () => {
      const run = await nestMcp(
        'call',
        url,
        'create_note',
        '{"title":"cli","body":"via cli"}',
        '--transport',
        transport,
      );
      assert.equal(run.code, 0, run.stderr);
      const { first, json } = split(run.stdout);
      assert.equal(first, `transport: ${transport}`);
      assert.equal(json.structuredContent.title, 'cli');
    });
  }

  it('falls back behind a middlebox and says so on the first line (--verbose tells why on stderr)', async () => {
    const box = await Middlebox.start(server.origin, { sse: '502', upgrade: 'refuse' });
    try {
      const run = await nestMcp(
        'call',
        `${box.origin}/mcp`,
        'search_notes',
        '{"query":"Groceries"}',
        '--verbose',
      );
      assert.equal(run.code, 0, run.stderr);
      const { first, json } = split(run.stdout);
      assert.equal(first, 'transport: polling');
      assert.equal(json.structuredContent.notes[0].title, 'Groceries');
      assert.match(run.stderr, /streamable-http failed .*502/);
      assert.match(run.stderr, /websocket failed .*400/);
    } finally {
      await box.close();
    }
  });

  it('a tool-level error prints the result and exits 1', async () => {
    const run = await nestMcp('call', url, 'delete_note', '{"id":"1"}');
    assert.equal(run.code, 1);
    assert.equal(split(run.stdout).json.isError, true);
  });

  it('--stdio starts the server itself and speaks MCP on its stdin/stdout (call, tools)', async () => {
    const run = await nestMcp('call', '--stdio', STDIO_SERVER, 'search_notes', '{"query":"Welcome"}');
    assert.equal(run.code, 0, run.stderr);
    const { first, json } = split(run.stdout);
    assert.equal(first, 'transport: stdio');
    assert.equal(json.structuredContent.notes[0].title, 'Welcome');
    // The server's start-up logs stay out of the way unless asked for.
    assert.doesNotMatch(run.stderr, /Nest/);

    const tools = await nestMcp('tools', '--stdio', STDIO_SERVER, '--legacy', '--verbose');
    assert.equal(tools.code, 0, tools.stderr);
    assert.equal(split(tools.stdout).first, 'transport: stdio');
    assert.ok(split(tools.stdout).json.some((tool: { name: string }) => tool.name === 'create_note'));
    assert.match(tools.stderr, /NestFactory|Nest application/);
  });

  it('--stdio: a server that exits is unreachable (3) and its stderr is quoted; misuse is 2', async () => {
    const dying = `"${process.execPath}" -e "console.error('boom: no database'); process.exit(7)"`;
    const run = await nestMcp('tools', '--stdio', dying, '--timeout', '5000');
    assert.equal(run.code, 3, run.stderr);
    assert.match(run.stderr, /cannot reach the stdio server .*\n(.|\n)*boom: no database/);
    assert.equal(run.stdout, '');

    for (const misuse of [
      ['tools', url, '--stdio', STDIO_SERVER],
      ['tools', '--stdio', STDIO_SERVER, '--transport', 'websocket'],
      ['tools', '--stdio', STDIO_SERVER, '--header', 'Authorization: x'],
      ['tools', '--stdio', ' '],
      ['call', '--stdio', STDIO_SERVER],
    ]) {
      const refused = await nestMcp(...misuse);
      assert.equal(refused.code, 2, `${misuse.join(' ')}: ${refused.stderr}`);
    }
  });

  it('exit codes: bad URL and invalid JSON 2, unreachable 3, unknown tool 4', async () => {
    const badUrl = await nestMcp('call', 'not a url', 'search_notes');
    assert.equal(badUrl.code, 2);
    assert.match(badUrl.stderr, /not a URL/);
    const badJson = await nestMcp('call', url, 'search_notes', '{query:');
    assert.equal(badJson.code, 2);
    assert.match(badJson.stderr, /JSON_ARGS is not valid JSON/);
    const badTransport = await nestMcp('tools', url, '--transport', 'carrier-pigeon');
    assert.equal(badTransport.code, 2);
    const unreachable = await nestMcp(
      'tools',
      `http://127.0.0.1:${await closedPort()}/mcp`,
      '--timeout',
      '2000',
    );
    assert.equal(unreachable.code, 3);
    assert.match(
      unreachable.stderr,
      /cannot reach .*\n {2}streamable-http: .*\n {2}websocket: .*\n {2}polling: /,
    );
    const unknown = await nestMcp('call', url, 'no_such_tool');
    assert.equal(unknown.code, 4);
    assert.match(unknown.stderr, /unknown tool "no_such_tool" \(the server has: .*search_notes/);
  });
});
