import { strings } from '@angular-devkit/core';
import type { Rule } from '@angular-devkit/schematics';
import { generateProvider } from '../utils/provider-generation.rule.js';
import type { ProviderOptions } from '../utils/provider-options.js';

/**
 * `nest g -c nest-mcp prompt <name>`: a provider with one `@McpPrompt` method, a DTO whose
 * properties become the prompt's arguments, and a spec; registered in the nearest module.
 * The wire name is snake_case, like tool names.
 */
export function main(options: ProviderOptions): Rule {
  return generateProvider(options, {
    role: 'prompt',
    templateValues: (name) => ({
      wireName: strings.underscore(name),
      title: strings.capitalize(name.replaceAll('-', ' ')),
    }),
    generatesDto: true,
  });
}
