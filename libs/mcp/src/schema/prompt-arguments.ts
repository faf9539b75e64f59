import type { PromptArgument } from '@modelcontextprotocol/server';
import type { CompiledSchema, SchemaCheck } from './compiled-schema.js';

/** A prompt's wire arguments, read from the properties of its (input) JSON Schema. */
export function promptArgumentsOf(jsonSchema: Record<string, unknown>): PromptArgument[] {
  const properties = (jsonSchema['properties'] ?? {}) as Record<
    string,
    { description?: string; title?: string }
  >;
  const required = new Set((jsonSchema['required'] ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    ...(property?.title !== undefined && { title: property.title }),
    ...(property?.description !== undefined && { description: property.description }),
    required: required.has(name),
  }));
}

/**
 * The check of an explicitly listed argument set: required ones present, every value a
 * string (prompt arguments are strings on the wire), nothing unknown.
 */
export function compilePromptArgumentList(list: readonly PromptArgument[]): CompiledSchema['check'] {
  const known = new Set(list.map((argument) => argument.name));
  const required = list.filter((argument) => argument.required === true).map((argument) => argument.name);
  return (value): SchemaCheck => {
    const args = (value ?? {}) as Record<string, unknown>;
    const problems = [
      ...required.filter((name) => args[name] === undefined).map((name) => `${name} is required`),
      ...Object.entries(args)
        .filter(([name, item]) => known.has(name) && typeof item !== 'string')
        .map(([name]) => `${name} must be a string`),
      ...Object.keys(args)
        .filter((name) => !known.has(name))
        .map((name) => `${name} is not an argument of this prompt`),
    ];
    return problems.length === 0 ? { ok: true, value: args } : { ok: false, message: problems.join('; ') };
  };
}
