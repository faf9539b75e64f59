import { UriTemplate } from '@modelcontextprotocol/server';
import { McpWireError } from '../errors/wire-errors.js';

/** A matched URI's variables as handlers get them: decoded, lists for exploded expressions. */
export type UriTemplateVariables = Record<string, string | string[]>;

/** RFC 6570 operators whose expansion lets reserved characters through unencoded (§3.2.3, §3.2.4). */
const RESERVED_EXPANSION = new Set(['+', '#']);
/** The operators the SDK's matcher recognises; anything else is a simple expression to it. */
const OPERATORS = new Set(['+', '#', '.', '/', '?', '&']);

/**
 * A triplet encoding an RFC 3986 reserved character (§2.2: gen-delims `:/?#[]@`, sub-delims
 * `!$&'()*+,;=`). Captured, so `split` keeps it as a piece of its own.
 */
const RESERVED_TRIPLET = /(%(?:2[1346789ABCF]|3[ABDF]|40|5[BD]))/i;

/**
 * Matches URIs against one RFC 6570 template and returns its variables decoded exactly once.
 *
 * Matching is the SDK's `UriTemplate` (what SDK-based servers match with), run on the raw
 * URI: a simple `{var}` never spans a `/` or `,` of the URI, while an encoded `%2F` inside
 * it is data. Each value is then percent-decoded by its expression's operator (RFC 6570 §3.2):
 *
 * - `{var}`, `{.var}`, `{/var}`, `{?var}`, `{&var}`: expansion encoded every character outside
 *   the unreserved set, so every triplet is decoded (`a%20b%2Fc%C3%A9` is `a b/cé`, `100%25`
 *   is `100%`, `%31` is `1`).
 * - `{+var}`, `{#var}`: expansion let reserved characters through as they are, so a triplet
 *   encoding one (`%2F`, `%3F`, ...) can only have been in the value already: it stays as
 *   it is (`a%2Fb/c` stays apart from `a/b/c`); every other triplet is decoded.
 *
 * Exploded lists are split at their commas first, so an encoded `%2C` stays inside its item.
 * A value with a malformed escape (`%ZZ`, a lone `%`) or escapes that are not UTF-8 (`%E9`)
 * is -32602 with `data: { uri }`: the URI matched, but names no value.
 */
export class UriTemplateMatcher {
  private readonly template: UriTemplate;
  /** Variable name (as the SDK's matcher keys it) to the operator of its expression. */
  private readonly operators = new Map<string, string>();

  constructor(readonly uriTemplate: string) {
    this.template = new UriTemplate(uriTemplate);
    for (const [, expression = ''] of uriTemplate.matchAll(/\{([^}]*)\}/g)) {
      const operator = OPERATORS.has(expression.charAt(0)) ? expression.charAt(0) : '';
      for (const name of expression.slice(operator.length).split(','))
        this.operators.set(name.replace('*', '').trim(), operator);
    }
  }

  /** The decoded variables when `uri` matches, else `undefined`; throws -32602 (above). */
  match(uri: string): UriTemplateVariables | undefined {
    const raw = this.template.match(uri);
    if (raw === null) return undefined;
    const variables: UriTemplateVariables = {};
    for (const [name, value] of Object.entries(raw)) {
      const operator = this.operators.get(name) ?? '';
      const decode = (item: string) => decodeValue(item, operator, name, uri);
      variables[name] = Array.isArray(value) ? value.map(decode) : decode(value);
    }
    return variables;
  }
}

function decodeValue(raw: string, operator: string, name: string, uri: string): string {
  // The SDK's pattern for `{#var}` leaves the `#` itself inside the captured value.
  const value = operator === '#' && raw.startsWith('#') ? raw.slice(1) : raw;
  try {
    if (!RESERVED_EXPANSION.has(operator)) return decodeURIComponent(value);
    return value
      .split(RESERVED_TRIPLET)
      .map((piece, index) => (index % 2 === 1 ? piece : decodeURIComponent(piece)))
      .join('');
  } catch {
    throw new McpWireError(
      'invalid-params',
      `Invalid arguments for resource ${uri}: the value of {${operator}${name}} is not percent-encoded UTF-8`,
      { uri },
    );
  }
}
