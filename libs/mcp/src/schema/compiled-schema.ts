import type { StandardSchemaV1 } from '@modelcontextprotocol/server';
import type { McpSchema } from '../decorators/decorator-options.js';
import { compileDtoSchema } from './dto-schema.js';
import { compileStandardSchema } from './standard-schema.js';

/** Which side of a schema: what a caller sends (`input`) or what a handler returns (`output`). */
export type SchemaSide = 'input' | 'output';

export type SchemaCheck =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

/**
 * A schema prepared once, at registration: its JSON Schema for the wire and a checker that
 * validates (and converts: DTO instances, zod defaults) one value per call. `message`
 * names the failing fields in words a model can act on, without a prefix.
 */
export interface CompiledSchema {
  readonly jsonSchema: Record<string, unknown>;
  readonly check: (value: unknown) => SchemaCheck | Promise<SchemaCheck>;
}

/** A class-validator DTO class or a Standard Schema (zod 4, valibot, arktype, `fromJsonSchema`). */
export function compileSchema(schema: McpSchema, side: SchemaSide): CompiledSchema {
  if (isStandardSchema(schema)) return compileStandardSchema(schema, side);
  if (typeof schema === 'function') return compileDtoSchema(schema, side);
  throw new Error('An MCP schema must be a class-validator DTO class or a Standard Schema (zod 4, ...)');
}

export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as Partial<StandardSchemaV1>)['~standard']?.validate === 'function'
  );
}
