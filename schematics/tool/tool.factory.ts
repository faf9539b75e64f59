import { strings } from '@angular-devkit/core';
import type { Rule } from '@angular-devkit/schematics';
import { generateProvider } from '../utils/provider-generation.rule.js';
import type { ProviderOptions } from '../utils/provider-options.js';

/**
 * `nest g -c nest-mcp tool <name>`: a provider with one `@McpTool` method, its class-validator
 * input, and a spec; registered in the nearest module. The wire name is snake_case, the
 * convention of MCP tool names (`probe-weather` serves `probe_weather`).
 */
export function main(options: ProviderOptions): Rule {
  return generateProvider(options, {
    role: 'tool',
    templateValues: (name) => ({
      wireName: strings.underscore(name),
      title: strings.capitalize(name.replaceAll('-', ' ')),
    }),
    generatesDto: true,
  });
}
