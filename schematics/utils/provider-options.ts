/**
 * The options every provider schematic (`tool`, `resource`, `prompt`) shares: the ones a Nest
 * user knows from `nest g service`, under the names the Nest CLI passes them.
 */
export interface ProviderOptions {
  /** The name; may carry folders (`weather/forecast`). Files are kebab-case, classes PascalCase. */
  name: string;
  /** Folder under the source root to generate in. */
  path?: string;
  /** A project of a monorepo's nest-cli.json, whose sourceRoot is used. */
  project?: string;
  /** Passed by the Nest CLI (the project's sourceRoot, resolved). */
  sourceRoot?: string;
  /** Generate in `path` itself instead of a folder named after the provider. */
  flat?: boolean;
  spec?: boolean;
  specFileSuffix?: string;
  /** Do not register the provider in the nearest module. */
  skipImport?: boolean;
  /** Passed by the Nest CLI; only `ts` is supported. */
  language?: string;
}
