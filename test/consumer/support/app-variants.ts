/**
 * The apps the consumer test builds, one `describe` each. Every app is what `nest new` writes
 * (@nestjs/schematics' `application` schematic), with the Nest runtime packages set to
 * `nestVersion`; everything else in the test is the same for all of them.
 *
 * Adding an app is one more entry (see the Fastify one below).
 */
export interface AppVariant {
  /** Names the `describe`. */
  readonly label: string;
  /** `nest new`'s module system: `cjs` (TypeScript emits CommonJS; Jest) or `esm` (Vitest). */
  readonly moduleType: 'cjs' | 'esm';
  /**
   * The version or range of every Nest runtime package in the app (`@nestjs/*` in dependencies,
   * `@nestjs/testing`, and the two the README has users install). The CLI and schematics keep the
   * template's ranges: they are tools, not the runtime under test.
   */
  readonly nestVersion: string;
  readonly platform: HttpPlatform;
  /** The `moduleResolution` settings every package entry is type-checked under in this app. */
  readonly resolutions: readonly ResolutionSetting[];
}

/** How an app serves HTTP: its Nest platform package and how `main.ts` creates the app. */
export interface HttpPlatform {
  readonly name: string;
  /** Installed at `nestVersion`. */
  readonly packages: readonly string[];
  /** Template packages this platform replaces (removed before installing). */
  readonly replaces?: readonly string[];
  /** Edits the generated `src/main.ts`; the template's main.ts is kept when absent. */
  readonly rewriteMain?: (main: string) => string;
}

/** One TypeScript setting the entries are resolved under. */
export interface ResolutionSetting {
  readonly moduleResolution: 'node10' | 'node16' | 'nodenext' | 'bundler';
  readonly module: 'commonjs' | 'node16' | 'nodenext' | 'esnext';
}

export const EXPRESS: HttpPlatform = { name: 'express', packages: ['@nestjs/platform-express'] };

/** Fastify as the Nest docs set it up: the adapter package, and `main.ts` creating the app on it. */
export const FASTIFY: HttpPlatform = {
  name: 'fastify',
  packages: ['@nestjs/platform-fastify'],
  replaces: ['@nestjs/platform-express', '@types/express'],
  rewriteMain: (main) =>
    main
      .replace(
        "import { NestFactory } from '@nestjs/core';",
        "import { NestFactory } from '@nestjs/core';\nimport { FastifyAdapter } from '@nestjs/platform-fastify';",
      )
      .replace('NestFactory.create(AppModule)', 'NestFactory.create(AppModule, new FastifyAdapter())'),
};

/** A CommonJS file: older apps on `node10`, current ones on `nodenext` (`node16` cannot require ESM). */
export const CJS_RESOLUTIONS: readonly ResolutionSetting[] = [
  { moduleResolution: 'node10', module: 'commonjs' },
  { moduleResolution: 'nodenext', module: 'nodenext' },
];

/** An ES module file: every mode. */
export const ESM_RESOLUTIONS: readonly ResolutionSetting[] = [
  { moduleResolution: 'node16', module: 'node16' },
  { moduleResolution: 'nodenext', module: 'nodenext' },
  { moduleResolution: 'bundler', module: 'esnext' },
];

export const APP_VARIANTS: readonly AppVariant[] = [
  {
    // The lowest Nest the peer ranges allow (12.0.1: the first @nestjs/websockets 12), exactly.
    label: 'CommonJS, Express, Nest 12.0.1',
    moduleType: 'cjs',
    nestVersion: '12.0.1',
    platform: EXPRESS,
    resolutions: CJS_RESOLUTIONS,
  },
  {
    label: 'CommonJS, Fastify, latest Nest 12',
    moduleType: 'cjs',
    nestVersion: '^12.0.1',
    platform: FASTIFY,
    resolutions: CJS_RESOLUTIONS,
  },
  {
    label: 'ESM, Express, latest Nest 12',
    moduleType: 'esm',
    nestVersion: '^12.0.1',
    platform: EXPRESS,
    resolutions: ESM_RESOLUTIONS,
  },
];
