import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startExampleServer, type ExampleServer } from './support/example-server.js';
import { Middlebox } from './support/middlebox.js';
import { McpRegistry } from 'nest-mcp';

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

/** A `--json` run: the transport line (on stderr), and the JSON that is all of stdout. */
function split(run: Run): { first: string; json: any } {
  const first = /^transport: .*$/m.exec(run.stderr)?.[0] ?? `(no transport line in: ${run.stderr})`;
  return { first, json: JSON.parse(run.stdout) };
}

/** A human-readable run: the first line of stdout, then the rest. */
function lines(run: Run): { first: string; rest: string } {
  const newline = run.stdout.indexOf('\n');
  return { first: run.stdout.slice(0, newline), rest: run.stdout.slice(newline + 1) };
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
    const run = await nestMcp('--json', 'call', url, 'search_notes', '{"query":"Welcome"}');
    assert.equal(run.code, 0, run.stderr);
    const { first, json } = split(run);
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
    const run = await nestMcp('--json', 'tools', url);
    assert.equal(run.code, 0, run.stderr);
    const { first, json } = split(run);
    assert.equal(first, 'transport: streamable-http');
    assert.deepEqual(json.map((tool: { name: string }) => tool.name).toSorted(), [
      'add_tag_shortcut',
      'create_note',
      'delete_note',
      'draft_note',
      'export_notes',
      'search_notes',
      'summarize_notes',
    ]);
  });

  for (const transport of ['streamable-http', 'websocket', 'polling']) {
    it(`--transport ${transport} is used and named`, async () => {
      const run = await nestMcp(
        '--json',
        'call',
        url,
        'create_note',
        '{"title":"cli","body":"via cli"}',
        '--transport',
        transport,
      );
      assert.equal(run.code, 0, run.stderr);
      const { first, json } = split(run);
      assert.equal(first, `transport: ${transport}`);
      assert.equal(json.structuredContent.title, 'cli');
    });
  }

  it('falls back behind a middlebox and says so on the first line (--verbose tells why on stderr)', async () => {
    const box = await Middlebox.start(server.origin, { sse: '502', upgrade: 'refuse' });
    try {
      const run = await nestMcp(
        '--json',
        'call',
        `${box.origin}/mcp`,
        'search_notes',
        '{"query":"Groceries"}',
        '--verbose',
      );
      assert.equal(run.code, 0, run.stderr);
      const { first, json } = split(run);
      assert.equal(first, 'transport: polling');
      assert.equal(json.structuredContent.notes[0].title, 'Groceries');
      assert.match(run.stderr, /streamable-http failed .*502/);
      assert.match(run.stderr, /websocket failed .*400/);
    } finally {
      await box.close();
    }
  });

  it('a tool-level error prints the result and exits 1', async () => {
    const run = await nestMcp('--json', 'call', url, 'delete_note', '{"id":"1"}');
    assert.equal(run.code, 1);
    assert.equal(split(run).json.isError, true);
  });

  it('--stdio starts the server itself and speaks MCP on its stdin/stdout (call, tools)', async () => {
    const run = await nestMcp(
      '--json',
      'call',
      '--stdio',
      STDIO_SERVER,
      'search_notes',
      '{"query":"Welcome"}',
    );
    assert.equal(run.code, 0, run.stderr);
    const { first, json } = split(run);
    assert.equal(first, 'transport: stdio');
    assert.equal(json.structuredContent.notes[0].title, 'Welcome');
    // The server's start-up logs stay out of the way unless asked for.
    assert.doesNotMatch(run.stderr, /Nest/);

    const tools = await nestMcp('--json', 'tools', '--stdio', STDIO_SERVER, '--legacy', '--verbose');
    assert.equal(tools.code, 0, tools.stderr);
    assert.equal(split(tools).first, 'transport: stdio');
    assert.ok(split(tools).json.some((tool: { name: string }) => tool.name === 'create_note'));
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

  /** Each command, its operands, and what its --json output must hold. */
  const COMMAND_CHECKS: ReadonlyArray<{ args: string[]; check: (json: any) => void; human: RegExp }> = [
    {
      args: ['tools'],
      check: (json) => assert.ok(json.some((tool: { name: string }) => tool.name === 'create_note')),
      human: /^search_notes\(query, tag\?\) {2}Search notes: Finds notes/m,
    },
    {
      args: ['call', 'search_notes', '{"query":"Welcome"}'],
      check: (json) => assert.equal(json.structuredContent.notes[0].title, 'Welcome'),
      human: /"title":"Welcome"/,
    },
    {
      args: ['resources'],
      check: (json) => assert.ok(json.some((resource: { uri: string }) => resource.uri === 'notes://index')),
      human: /^notes:\/\/index \(application\/json\) {2}notes-index: /m,
    },
    {
      args: ['templates'],
      check: (json) =>
        assert.deepEqual(
          json.map((template: { uriTemplate: string }) => template.uriTemplate),
          ['notes://notes/{id}'],
        ),
      human: /^notes:\/\/notes\/\{id\} {2}note: A note as Markdown\.$/m,
    },
    {
      args: ['read', 'notes://notes/1'],
      check: (json) => assert.match(json.contents[0].text, /^# Welcome/),
      human: /^# Welcome\n\nThis server exposes/m,
    },
    {
      args: ['prompts'],
      check: (json) =>
        assert.deepEqual(
          json.map((prompt: { name: string }) => prompt.name),
          ['review_note'],
        ),
      human: /^review_note\(noteId, tone\?\) {2}Review a note: /m,
    },
    {
      args: ['get-prompt', 'review_note', '{"noteId":"2","tone":"strict"}'],
      check: (json) => assert.match(json.messages[0].content.text, /strict tone(.|\n)*# Groceries/),
      human: /^\[user\] Review this note in a strict tone/m,
    },
    {
      args: ['complete', 'resource:notes://notes/{id}', 'id', ''],
      check: (json) =>
        assert.ok(json.values.includes('1') && json.values.includes('2'), JSON.stringify(json)),
      human: /^1\n2\n/m,
    },
  ];

  for (const era of ['2026', '2025']) {
    it(`every command over HTTP, --era ${era}, prints JSON with --json and text by default`, async () => {
      for (const { args, check, human } of COMMAND_CHECKS) {
        const [command, ...operands] = args;
        const json = await nestMcp(command!, url, ...operands, '--json', '--era', era, '--verbose');
        assert.equal(json.code, 0, `${args.join(' ')}: ${json.stderr}`);
        assert.equal(split(json).first, 'transport: streamable-http');
        assert.match(json.stderr, new RegExp(`protocol ${era === '2026' ? '2026-07-28' : '2025-11-25'}`));
        check(split(json).json);
        const text = await nestMcp(command!, url, ...operands, '--era', era);
        assert.equal(text.code, 0, `${args.join(' ')}: ${text.stderr}`);
        assert.equal(lines(text).first, 'transport: streamable-http');
        assert.match(lines(text).rest, human, args.join(' '));
      }
    });
  }

  it('every command over stdio, with --stdio "COMMAND" (2026) and the -- form (2025)', async () => {
    const serverArgs = [process.execPath, join(import.meta.dirname, '../../src/main-stdio.js')];
    for (const { args, check } of COMMAND_CHECKS) {
      const [command, ...operands] = args;
      const quoted = await nestMcp(command!, '--stdio', STDIO_SERVER, ...operands, '--json', '--era', '2026');
      assert.equal(quoted.code, 0, `${args.join(' ')}: ${quoted.stderr}`);
      assert.equal(split(quoted).first, 'transport: stdio');
      check(split(quoted).json);
      const dashed = await nestMcp(
        command!,
        ...operands,
        '--era',
        '2025',
        '--json',
        '--verbose',
        '--',
        ...serverArgs,
      );
      assert.equal(dashed.code, 0, `${args.join(' ')}: ${dashed.stderr}`);
      assert.match(dashed.stderr, /protocol 2025-11-25/);
      check(split(dashed).json);
    }
  });

  it('--help for the whole CLI and for each command exits 0; no command at all is 2', async () => {
    const help = await nestMcp('--help');
    assert.equal(help.code, 0);
    for (const { args } of COMMAND_CHECKS) {
      assert.match(help.stdout, new RegExp(`nest-mcp ${args[0]} TARGET`));
      const own = await nestMcp(args[0]!, '--help');
      assert.equal(own.code, 0, own.stderr);
      assert.match(own.stdout, new RegExp(`^Usage: nest-mcp ${args[0]} URL`));
      assert.match(own.stdout, /Exit codes: 0 ok/);
    }
    assert.match(help.stdout, /--legacy is --era 2025/);
    const bare = await nestMcp();
    assert.equal(bare.code, 2);
    assert.match(bare.stderr, /no command given/);
    assert.equal(bare.stdout, '');
  });

  it('exit code 2 for each kind of bad command line, before connecting', async () => {
    for (const misuse of [
      ['frobnicate', url],
      ['tools', url, '--era', '2024'],
      ['tools', url, '--no-such-option'],
      ['tools', url, 'extra'],
      ['read', url],
      ['get-prompt', url],
      ['get-prompt', url, 'review_note', '{"noteId":2}'],
      ['complete', url, 'review_note', 'noteId'],
      ['complete', url, 'prompt:review_note'],
      ['complete', url, 'prompt:review_note', 'noteId', '1', '[1]'],
      ['tools', '--stdio', STDIO_SERVER, '--', 'node', 'x.js'],
      ['tools', '--'],
    ]) {
      const refused = await nestMcp(...misuse);
      assert.equal(refused.code, 2, `${misuse.join(' ')}: ${refused.stderr}`);
      assert.match(refused.stderr, /^nest-mcp: .+\nRun "nest-mcp --help" for usage\.\n$/);
    }
  });

  it('exit code 4 when the server refuses: unknown prompt, unknown resource, invalid arguments', async () => {
    for (const refusal of [
      ['get-prompt', url, 'no_such_prompt'],
      ['read', url, 'notes://nowhere'],
      ['get-prompt', url, 'review_note', '{}'],
    ]) {
      const refused = await nestMcp(...refusal);
      assert.equal(refused.code, 4, `${refusal.join(' ')}: ${refused.stderr}`);
      assert.match(refused.stderr, /the server refused the request: /);
    }
  });

  it('exit code 5 when the server does not answer within --timeout', async () => {
    server.app.get(McpRegistry).addTool({ name: 'never_answers' }, () => new Promise(() => undefined));
    const run = await nestMcp(
      'call',
      url,
      'never_answers',
      '--timeout',
      '1000',
      '--transport',
      'streamable-http',
    );
    assert.equal(run.code, 5, run.stderr);
    assert.match(run.stderr, /no answer within 1000 ms/);
  });
});
