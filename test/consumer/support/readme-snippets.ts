import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './commands.js';

/** What the README tells a new user to type and paste, taken from it so the test follows it verbatim. */
export interface ReadmeSnippets {
  /** The `npm install ...` lines of the Install section, in order. */
  readonly installCommands: readonly string[];
  /** The Install section's `nest add nest-mcp ...` line. */
  readonly nestAdd: string;
  /** Every `nest g -c nest-mcp ...` line in a code block, in order. */
  readonly generateCommands: readonly string[];
  /** The files of the code blocks whose first line is `// src/<path>.ts`, by path. */
  readonly files: ReadonlyMap<string, string>;
  /** The client configuration entry that launches the stdio entry. */
  readonly stdioServer: { readonly command: string; readonly args: readonly string[] };
  /** The client configuration entry for HTTP: its URL. */
  readonly httpUrl: string;
}

interface CodeBlock {
  readonly language: string;
  readonly body: string;
  /** The `## ` section it is in. */
  readonly section: string;
}

export function readReadmeSnippets(): ReadmeSnippets {
  const blocks = codeBlocks(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8'));
  const lines = (predicate: (block: CodeBlock) => boolean) =>
    blocks
      .filter((block) => block.language === 'sh' && predicate(block))
      .flatMap((block) => block.body.split('\n'))
      .map((line) => line.trim());
  const installLines = lines((block) => block.section === 'Install');
  const nestAdd = installLines.find((line) => line.startsWith('nest add nest-mcp'));
  if (nestAdd === undefined) throw new Error('README: no `nest add nest-mcp` line in the Install section');

  const files = new Map<string, string>();
  for (const block of blocks.filter((candidate) => candidate.language === 'ts')) {
    const path = /^\/\/ (src\/\S+\.ts)\n/.exec(block.body)?.[1];
    if (path === undefined) continue;
    if (files.has(path) && files.get(path) !== block.body) throw new Error(`README: two different ${path}`);
    files.set(path, block.body);
  }

  const servers = blocks
    .filter((block) => block.language === 'json')
    .flatMap((block) => {
      const parsed = JSON.parse(block.body) as { mcpServers?: Record<string, Record<string, unknown>> };
      return Object.values(parsed.mcpServers ?? {});
    });
  const stdio = servers.find((server) => typeof server['command'] === 'string');
  const http = servers.find((server) => typeof server['url'] === 'string');
  if (stdio === undefined || http === undefined) {
    throw new Error('README: no client entry with "command" (stdio) or with "url" (HTTP)');
  }
  return {
    installCommands: installLines.filter((line) => line.startsWith('npm install ')),
    nestAdd,
    generateCommands: lines(() => true).filter((line) => line.startsWith('nest g -c nest-mcp ')),
    files,
    stdioServer: { command: stdio['command'] as string, args: (stdio['args'] as string[] | undefined) ?? [] },
    httpUrl: http['url'] as string,
  };
}

function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  let section = '';
  let open: { language: string; lines: string[] } | undefined;
  for (const line of markdown.split('\n')) {
    if (open !== undefined) {
      if (line.startsWith('```')) {
        blocks.push({ language: open.language, body: open.lines.join('\n'), section });
        open = undefined;
      } else open.lines.push(line);
    } else if (line.startsWith('```')) open = { language: line.slice(3).trim(), lines: [] };
    else if (line.startsWith('## ')) section = line.slice(3).trim();
  }
  return blocks;
}
