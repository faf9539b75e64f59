import { strings } from '@angular-devkit/core';
import { type Rule, SchematicsException } from '@angular-devkit/schematics';
import { generateProvider } from '../utils/provider-generation.rule.js';
import type { ResourceOptions } from './resource-options.js';
import { uriTemplateVariables } from './uri-template-variables.js';

/**
 * `nest g -c nest-mcp resource <name> [--uri app://x | --uri-template docs://pages/{slug}]`:
 * a provider with one `@McpResource` method and a spec, registered in the nearest module.
 * The wire name stays kebab-case, as resource names usually are.
 */
export function main(options: ResourceOptions): Rule {
  if (options.uri !== undefined && options.uriTemplate !== undefined) {
    throw new SchematicsException('Pass --uri or --uri-template, not both.');
  }
  const variables = options.uriTemplate === undefined ? [] : uriTemplateVariables(options.uriTemplate);
  if (options.uriTemplate !== undefined && variables.length === 0) {
    throw new SchematicsException(`--uri-template "${options.uriTemplate}" has no {variable}; use --uri.`);
  }
  return generateProvider(options, {
    role: 'resource',
    templateValues: (name) => ({
      title: strings.capitalize(name.replaceAll('-', ' ')),
      uriTemplate: options.uriTemplate,
      uri: options.uri ?? `app://${name}`,
      variables,
      mimeType: options.mimeType ?? 'text/plain',
    }),
  });
}
