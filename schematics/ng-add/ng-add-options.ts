export interface NgAddOptions {
  /** A project of a monorepo's nest-cli.json: its module is edited and its name serves as server name. */
  project?: string;
  /** Passed by the Nest CLI (the project's sourceRoot, resolved). */
  sourceRoot?: string;
  /** The module file, relative to the source root; default `app.module.ts`. */
  module?: string;
  /** The server name clients see; default: the project name, else package.json `name`. */
  serverName?: string;
}
