/** Exit codes of `nest-mcp`, documented in its `--help`. */
export const EXIT = {
  ok: 0,
  /** The tool ran and reported a failure (`isError`); its result is still printed. */
  toolError: 1,
  /** Bad command line: unknown command or option, bad URL, JSON arguments that do not parse. */
  usage: 2,
  /** No transport reached the server (every attempt's reason goes to stderr). */
  unreachable: 3,
  /** The server refused the request: unknown tool, invalid arguments, other protocol errors. */
  refused: 4,
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
