import { strings } from '@angular-devkit/core';
import { uriTemplateVariables } from './uri-template-variables.js';

/** What one `nest g -c nest-mcp resource <name-or-uri>` generates. */
export interface ResourceTarget {
  /** The provider's name: files, class and wire name derive from it. */
  readonly name: string;
  /** The fixed URI, when the argument had no `{variable}`. */
  readonly uri?: string;
  /** The RFC 6570 template, when it had one. */
  readonly uriTemplate?: string;
  readonly variables: string[];
  readonly mimeType: string;
}

/** `scheme:` at the start: the argument is a URI, not a name (names never hold a colon). */
const URI_SCHEME = /^[a-z][a-z\d+.-]*:/i;

/**
 * Text types by the extension of the URI's last segment. Only text: the generated handler
 * returns a string. A table of our own because these few are all a scaffold needs; the user
 * edits `mimeType` in the generated file for anything else.
 */
const TEXT_TYPES: Readonly<Record<string, string>> = {
  md: 'text/markdown',
  markdown: 'text/markdown',
  txt: 'text/plain',
  json: 'application/json',
  html: 'text/html',
  htm: 'text/html',
  csv: 'text/csv',
  xml: 'application/xml',
  yaml: 'application/yaml',
  yml: 'application/yaml',
};

/**
 * Reads the schematic's one argument. The Nest CLI passes nothing but a name and a path to a
 * collection's schematics (`nest g` rejects other options), so the URI travels as the name:
 * `status://now` (a fixed URI), `docs://pages/{slug}.md` (a template: it has a `{variable}`),
 * or a plain name such as `status` (served at `app://status`). The provider is named after
 * the URI's literal parts (`status-now`, `docs-pages`) and the MIME type follows the last
 * segment's extension (text/plain without one).
 *
 * The Nest CLI lower-cases and dasherizes names on the way (`pageId` arrives as `page-id`);
 * a template variable cannot contain `-` (RFC 6570 §2.3), so those are camel-cased back.
 */
export function resourceTarget(argument: string): ResourceTarget {
  const trimmed = argument.trim();
  if (!URI_SCHEME.test(trimmed)) {
    return {
      name: trimmed,
      uri: `app://${strings.dasherize(trimmed.split('/').pop()!)}`,
      variables: [],
      mimeType: 'text/plain',
    };
  }
  const uri = trimmed.replace(/\{([^}]*)\}/g, (_, expression: string) => `{${strings.camelize(expression)}}`);
  const variables = uriTemplateVariables(uri);
  const name = providerName(uri);
  return {
    name,
    ...(variables.length > 0 ? { uriTemplate: uri } : { uri }),
    variables,
    mimeType: TEXT_TYPES[extensionOf(uri)] ?? 'text/plain',
  };
}

/**
 * The scheme, authority and literal path segments, without template expressions or extension;
 * never empty, as a URI always has its scheme.
 */
function providerName(uri: string): string {
  const colon = uri.indexOf(':');
  const rest = uri.slice(colon + 1).replace(/[?#].*$/, '');
  const segments = [uri.slice(0, colon), ...rest.split('/')]
    .filter((segment) => segment !== '' && !segment.includes('{'))
    .map((segment, index, all) => (index === all.length - 1 ? segment.replace(/\.[^.]*$/, '') : segment));
  return strings
    .dasherize(segments.join('-'))
    .replace(/[^a-z\d-]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function extensionOf(uri: string): string {
  const lastSegment =
    uri
      .replace(/\{[^}]*\}$/, '')
      .split('/')
      .pop() ?? '';
  const dot = lastSegment.lastIndexOf('.');
  return dot < 0 ? '' : lastSegment.slice(dot + 1).toLowerCase();
}
