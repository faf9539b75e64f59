import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { SchematicTestRunner } from '@angular-devkit/schematics/testing/index.js';
import type { AppVariant, ResolutionSetting } from './app-variants.js';
import { type CommandResult, npm, REPO_ROOT, runCommand, shell, tail, userEnv } from './commands.js';

/** npm installs from the shared cache; the first run on a machine downloads (about 250 MB per app). */
const INSTALL_TIMEOUT_MS = 8 * 60_000;
const COMMAND_TIMEOUT_MS = 2 * 60_000;
const START_TIMEOUT_MS = 60_000;

/** A fresh app in a folder of its own, laid out as `nest new` lays it out. */
export class ConsumerApp {
  private constructor(
    readonly dir: string,
    readonly variant: AppVariant,
  ) {}

  /**
   * Writes the files of @nestjs/schematics' `application` schematic (what `nest new` runs, with
   * its answers: strict TypeScript, npm, no observability) and sets the Nest runtime packages to
   * the variant's version and platform. Nothing is installed yet.
   */
  static async scaffold(dir: string, variant: AppVariant): Promise<ConsumerApp> {
    // The runner needs a collection of its own; ours is at hand. The application schematic is external.
    const runner = new SchematicTestRunner(
      'nest-mcp',
      join(REPO_ROOT, 'dist', 'schematics', 'collection.json'),
    );
    const tree = await runner.runExternalSchematic('@nestjs/schematics', 'application', {
      name: 'consumer-app',
      directory: '.',
      type: variant.moduleType,
      language: 'ts',
      strict: true,
      packageManager: 'npm',
    });
    for (const file of tree.files) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), tree.readContent(file));
    }
    const app = new ConsumerApp(dir, variant);
    app.editJson('package.json', (manifest: Record<string, Record<string, string>>) => {
      const { nestVersion, platform } = variant;
      for (const name of platform.replaces ?? []) {
        delete manifest['dependencies']![name];
        delete manifest['devDependencies']![name];
      }
      for (const name of platform.packages) manifest['dependencies']![name] = nestVersion;
      for (const name of Object.keys(manifest['dependencies']!)) {
        if (name.startsWith('@nestjs/')) manifest['dependencies']![name] = nestVersion;
      }
      manifest['devDependencies']!['@nestjs/testing'] = nestVersion;
    });
    if (variant.platform.rewriteMain !== undefined) {
      app.write('src/main.ts', variant.platform.rewriteMain(app.read('src/main.ts')));
    }
    return app;
  }

  read(path: string): string {
    return readFileSync(join(this.dir, path), 'utf8');
  }

  write(path: string, contents: string): void {
    mkdirSync(dirname(join(this.dir, path)), { recursive: true });
    writeFileSync(join(this.dir, path), contents);
  }

  editJson<T>(path: string, edit: (json: T) => void): void {
    const json = JSON.parse(this.read(path)) as T;
    edit(json);
    this.write(path, `${JSON.stringify(json, null, 2)}\n`);
  }

  /**
   * `npm install` as the README writes it, with the tarball in place of `nest-mcp` and the
   * variant's version on the Nest packages it names; from npm's cache when it has the package.
   */
  install(readmeLine: string, tarball: string): Promise<CommandResult> {
    const [, , ...packages] = readmeLine.split(/\s+/);
    const specs = packages.map((name) =>
      name === 'nest-mcp'
        ? tarball
        : name.startsWith('@nestjs/')
          ? `${name}@${this.variant.nestVersion}`
          : name,
    );
    return npm(['install', '--prefer-offline', '--no-audit', '--no-fund', ...specs], {
      cwd: this.dir,
      timeoutMs: INSTALL_TIMEOUT_MS,
    });
  }

  npm(args: readonly string[]): Promise<CommandResult> {
    return npm(args, { cwd: this.dir, timeoutMs: INSTALL_TIMEOUT_MS });
  }

  /** A command line typed in the app's folder (`nest ...`, `npx ...`). */
  shell(commandLine: string): Promise<CommandResult> {
    return shell(commandLine, { cwd: this.dir, timeoutMs: COMMAND_TIMEOUT_MS });
  }

  /** A script run by this Node in the app's folder. */
  node(args: readonly string[]): Promise<CommandResult> {
    return runCommand(process.execPath, args, { cwd: this.dir, timeoutMs: COMMAND_TIMEOUT_MS });
  }

  /** The package's bin, as `npx nest-mcp` would run it. */
  nestMcp(args: readonly string[]): Promise<CommandResult> {
    return this.node([join(this.dir, 'node_modules', '.bin', 'nest-mcp'), ...args]);
  }

  /**
   * Type-checks a file importing every entry of the installed package's `exports` under one
   * `moduleResolution`, with the app's own TypeScript.
   */
  async checkResolution(entries: readonly string[], setting: ResolutionSetting): Promise<CommandResult> {
    const folder = 'resolution-check';
    this.write(
      `${folder}/entries.ts`,
      entries.map((entry, index) => `import * as entry${index} from '${entry}';\n`).join('') +
        `export const entries: object[] = [${entries.map((_, index) => `entry${index}`).join(', ')}];\n`,
    );
    const typescriptMajor = Number(
      (JSON.parse(this.read('node_modules/typescript/package.json')) as { version: string }).version.split(
        '.',
      )[0],
    );
    const config = `${folder}/tsconfig.${setting.moduleResolution}.json`;
    this.write(
      config,
      JSON.stringify({
        compilerOptions: {
          ...setting,
          target: 'ES2023',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          experimentalDecorators: true,
          types: ['node'],
          // TypeScript 6 deprecates node10 (older apps still use it); 7 removes it.
          ...(typescriptMajor === 6 ? { ignoreDeprecations: '6.0' } : {}),
        },
        files: ['entries.ts'],
      }),
    );
    return this.node([join(this.dir, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', config]);
  }

  /** `node dist/main.js` with `PORT`, once `GET /` answers (the template's controller). */
  async start(): Promise<RunningApp> {
    const port = await freePort();
    const child = spawn(process.execPath, ['dist/main.js'], {
      cwd: this.dir,
      env: userEnv({ PORT: String(port) }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const running = new RunningApp(child, `http://127.0.0.1:${port}`);
    await running.ready(START_TIMEOUT_MS);
    return running;
  }
}

/** The app's HTTP server, as `npm run start:prod` runs it. */
export class RunningApp {
  private log = '';
  private exited = false;

  constructor(
    private readonly child: ChildProcess,
    /** `http://127.0.0.1:<port>` */
    readonly origin: string,
  ) {
    child.stdout!.on('data', (chunk: Buffer) => (this.log += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (this.log += chunk.toString()));
    child.once('exit', () => (this.exited = true));
  }

  get output(): string {
    return this.log;
  }

  async ready(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exited) throw new Error(`the app exited while starting:\n${tail(this.log)}`);
      const answer = await fetch(`${this.origin}/`).catch(() => undefined);
      if (answer?.status === 200) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`the app did not answer GET / within ${timeoutMs} ms:\n${tail(this.log)}`);
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
