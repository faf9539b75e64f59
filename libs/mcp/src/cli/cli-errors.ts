/** Exit codes of `nest-mcp`, documented in its `--help` and the README. */
export const EXIT = {
  ok: 0,
  /** The tool ran and reported a failure (`isError`); its result is still printed. */
  toolError: 1,
  /** Bad command line: no or unknown command, unknown option, bad URL, JSON that does not parse. */
  usage: 2,
  /** No transport reached the server, or the connection was lost (every reason goes to stderr). */
  unreachable: 3,
  /** The server refused the request: unknown tool/prompt/resource, invalid arguments, other protocol errors. */
  refused: 4,
  /** The server did not answer the request within `--timeout`. */
  timeout: 5,
} as const;

/** A failure the CLI reports as one line on stderr and an exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}
