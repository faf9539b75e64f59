import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, statSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { npm, REPO_ROOT, tail } from './commands.js';

/** What `npm pack` made, from its `--json` report. */
export interface PackedPackage {
  /** Absolute path of the .tgz. */
  readonly tarball: string;
  /** The paths inside the package. */
  readonly files: readonly string[];
  readonly entryCount: number;
  /** Bytes, unpacked and as the gzipped tarball. */
  readonly unpackedSize: number;
  readonly size: number;
  /** The clean checkout it was packed from (has the built dist). */
  readonly checkout: string;
}

/** Building the library, tests and schematics from nothing, on a shared CPU. */
const PACK_TIMEOUT_MS = 5 * 60_000;

/**
 * Packs the package as a clean clone would: the repository's tracked files (and new ones not yet
 * ignored, so a working tree under development packs what it will commit) are copied to
 * `workdir/checkout` without `dist`, `node_modules` is linked (what `npm ci` would install), and
 * `npm pack` runs there, so `prepack` must build from nothing and only `files` reaches the tarball.
 */
export async function packCleanCheckout(workdir: string): Promise<PackedPackage> {
  const checkout = join(workdir, 'checkout');
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: REPO_ROOT,
  })
    .toString()
    .split('\0')
    .filter((file) => file !== '');
  for (const file of listed) {
    const source = join(REPO_ROOT, file);
    // A file deleted in the working tree is still in the index: a clean clone of the commit to be
    // would not have it.
    if (!existsSync(source) || !statSync(source).isFile()) continue;
    mkdirSync(dirname(join(checkout, file)), { recursive: true });
    cpSync(source, join(checkout, file));
  }
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(checkout, 'node_modules'), 'dir');

  const packed = await npm(['pack', '--json', '--pack-destination', workdir], {
    cwd: checkout,
    timeoutMs: PACK_TIMEOUT_MS,
  });
  if (packed.status !== 0) throw new Error(`npm pack failed:\n${tail(packed.output)}`);
  // Lifecycle output (prepack) may precede the JSON report on stdout.
  const report = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('[\n'))) as Array<{
    filename: string;
    files: Array<{ path: string }>;
    entryCount: number;
    unpackedSize: number;
    size: number;
  }>;
  const [entry] = report;
  if (entry === undefined) throw new Error(`npm pack reported nothing:\n${tail(packed.output)}`);
  return {
    tarball: join(workdir, entry.filename),
    files: entry.files.map((file) => file.path),
    entryCount: entry.entryCount,
    unpackedSize: entry.unpackedSize,
    size: entry.size,
    checkout,
  };
}
