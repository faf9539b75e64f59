import { CliError, EXIT } from './cli-errors.js';

/**
 * A command-line operand that must be a JSON object (`JSON_ARGS`, `JSON_CONTEXT`, ...): `{}`
 * when left out. Anything else exits with the usage code, naming the operand and, when given,
 * an example of a valid value.
 */
export function parseJsonObject(
  raw: string | undefined,
  what: string,
  example?: string,
): Record<string, unknown> {
  if (raw === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new CliError(`${what} is not valid JSON: ${(error as Error).message}`, EXIT.usage);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    const hint = example === undefined ? '' : `, e.g. '${example}'`;
    throw new CliError(`${what} must be a JSON object${hint}`, EXIT.usage);
  }
  return parsed as Record<string, unknown>;
}
