/**
 * SEP-2243 (MCP 2026-07-28, Streamable HTTP "Custom Headers from Tool Parameters"): a property
 * of a tool's input schema annotated `x-mcp-header: "Region"` is mirrored by clients into an
 * `Mcp-Param-Region` header, so gateways can route on it without reading the body, and the
 * server checks that header against the body. This reads those annotations once, when the
 * tool is registered, and refuses the ones the spec calls invalid: a client MUST drop a tool
 * with an invalid annotation, so serving one would only hide the tool.
 */

/** The JSON Schema extension keyword. */
export const X_MCP_HEADER = 'x-mcp-header';
/** Every mirrored parameter's header starts with this (compared case-insensitively). */
export const PARAM_HEADER_PREFIX = 'Mcp-Param-';

/** One input property mirrored into a header. */
export interface ToolHeaderParam {
  /** Property path from the arguments object (annotations may sit at any `properties` depth). */
  readonly path: readonly string[];
  /** The full header name as declared, e.g. `Mcp-Param-Region`. */
  readonly header: string;
  /** The same, lowercased: how Node's `IncomingHttpHeaders` keys it. */
  readonly headerKey: string;
  readonly type: HeaderParamType;
}

export type HeaderParamType = 'string' | 'integer' | 'boolean';

/** `number` is left out on purpose: the spec forbids it (`1.0` vs `1` would not round-trip). */
const PERMITTED_TYPES: ReadonlySet<string> = new Set<HeaderParamType>(['string', 'integer', 'boolean']);

/** RFC 9110 `token`: no spaces, controls, non-ASCII or delimiters such as `:`. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Keywords whose subschemas are not on a plain chain of `properties`: an annotation under
 * any of them is not statically reachable, which the spec makes invalid (not ignorable).
 */
const UNREACHABLE_KEYWORDS = [
  'items',
  'prefixItems',
  'contains',
  'additionalProperties',
  'unevaluatedProperties',
  'unevaluatedItems',
  'propertyNames',
  'patternProperties',
  'dependentSchemas',
  'oneOf',
  'anyOf',
  'allOf',
  'not',
  'if',
  'then',
  'else',
  '$defs',
  'definitions',
] as const;
/** Of those, the ones whose value maps names to subschemas. */
const NAMED_SUBSCHEMAS: ReadonlySet<string> = new Set([
  'patternProperties',
  'dependentSchemas',
  '$defs',
  'definitions',
]);

/**
 * The mirrored parameters of an input schema, or `undefined` when it has none (so the HTTP
 * path can skip the check with one test). Throws, naming `label`, on an invalid annotation.
 */
export function headerParamsOf(
  inputSchema: Readonly<Record<string, unknown>>,
  label: string,
): readonly ToolHeaderParam[] | undefined {
  const found: ToolHeaderParam[] = [];
  visit(inputSchema, [], true, found, label);
  const seen = new Map<string, ToolHeaderParam>();
  for (const param of found) {
    const prior = seen.get(param.headerKey);
    if (prior !== undefined)
      throw new Error(
        `${label}: ${X_MCP_HEADER} "${param.header.slice(PARAM_HEADER_PREFIX.length)}" is declared twice ` +
          `(${prior.path.join('.')} and ${param.path.join('.')}); header names must be unique regardless of case`,
      );
    seen.set(param.headerKey, param);
  }
  return found.length === 0 ? undefined : Object.freeze(found);
}

function visit(
  node: unknown,
  path: string[],
  reachable: boolean,
  found: ToolHeaderParam[],
  label: string,
): void {
  if (typeof node !== 'object' || node === null) return;
  const schema = node as Record<string, unknown>;
  if (X_MCP_HEADER in schema) found.push(declaration(schema, path, reachable, label));
  const properties = schema['properties'];
  if (typeof properties === 'object' && properties !== null && !Array.isArray(properties))
    for (const [key, child] of Object.entries(properties))
      visit(child, [...path, key], reachable, found, label);
  for (const keyword of UNREACHABLE_KEYWORDS) {
    const sub = schema[keyword];
    if (typeof sub !== 'object' || sub === null) continue;
    const branches = Array.isArray(sub) ? sub : NAMED_SUBSCHEMAS.has(keyword) ? Object.values(sub) : [sub];
    for (const branch of branches) visit(branch, [...path, `<${keyword}>`], false, found, label);
  }
}

function declaration(
  schema: Record<string, unknown>,
  path: string[],
  reachable: boolean,
  label: string,
): ToolHeaderParam {
  const where = `${label}: ${X_MCP_HEADER} on ${path.length === 0 ? 'the schema root' : path.join('.')}`;
  if (!reachable || path.length === 0)
    throw new Error(
      `${where} is not allowed: only properties reached through "properties" alone may be mirrored`,
    );
  const name = schema[X_MCP_HEADER];
  if (typeof name !== 'string' || !TOKEN.test(name))
    throw new Error(
      `${where} must be a non-empty HTTP token (ASCII, no spaces or delimiters); got ${JSON.stringify(name)}`,
    );
  const type = schema['type'];
  if (typeof type !== 'string' || !PERMITTED_TYPES.has(type))
    throw new Error(`${where} needs type string, integer or boolean; got ${JSON.stringify(type)}`);
  const header = `${PARAM_HEADER_PREFIX}${name}`;
  return {
    path: Object.freeze([...path]),
    header,
    headerKey: header.toLowerCase(),
    type: type as HeaderParamType,
  };
}
