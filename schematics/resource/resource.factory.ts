import { strings } from '@angular-devkit/core';
import type { Rule } from '@angular-devkit/schematics';
import { generateProvider } from '../utils/provider-generation.rule.js';
import type { ResourceOptions } from './resource-options.js';
import { resourceTarget } from './resource-target.js';

/**
 * `nest g -c nest-mcp resource <name | uri | uri-template>`: a provider with one `@McpResource`
 * method and a spec, registered in the nearest module. `status://now` serves that URI,
 * `docs://pages/{slug}.md` that template (text/markdown), `status` serves `app://status`
 * (see `resourceTarget`). The wire name stays kebab-case, as resource names usually are.
 */
export function main(options: ResourceOptions): Rule {
  const target = resourceTarget(options.name ?? '');
  return generateProvider(
    { ...options, name: target.name },
    {
      role: 'resource',
      templateValues: (name) => ({
        title: strings.capitalize(name.replaceAll('-', ' ')),
        uriTemplate: target.uriTemplate,
        uri: target.uri,
        variables: target.variables,
        mimeType: target.mimeType,
      }),
    },
  );
}
