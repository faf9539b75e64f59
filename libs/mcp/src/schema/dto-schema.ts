import type { Type } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import type { CompiledSchema, SchemaCheck, SchemaSide } from './compiled-schema.js';
import { type DtoLibraries, loadDtoLibraries } from './dto-libraries.js';
import { normalizeRoot } from './schema-root.js';

const DEFINITIONS_PREFIX = '#/$defs/';

/**
 * A class-validator DTO: its JSON Schema is derived from the decorators once, and each
 * value is turned into an instance (class-transformer) and validated (class-validator).
 */
export function compileDtoSchema(dto: Type<object>, side: SchemaSide): CompiledSchema {
  const { plainToInstance, validate, ...jsonSchemaLibraries } = loadDtoLibraries(dto.name);
  return {
    jsonSchema: normalizeRoot(dtoJsonSchema(dto, jsonSchemaLibraries), side, `The ${side} DTO ${dto.name}`),
    check: async (value): Promise<SchemaCheck> => {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        return { ok: false, message: 'arguments must be an object' };
      const instance = plainToInstance(dto, value);
      const errors = await validate(instance);
      return errors.length === 0
        ? { ok: true, value: instance }
        : { ok: false, message: errors.flatMap((error) => describeError(error, '')).join('; ') };
    },
  };
}

function dtoJsonSchema(
  dto: Type<object>,
  {
    classTransformerStorage,
    targetConstructorToSchema,
    validationMetadatasToSchemas,
  }: Omit<DtoLibraries, 'plainToInstance' | 'validate'>,
): Record<string, unknown> {
  const options = {
    classTransformerMetadataStorage: classTransformerStorage,
    refPointerPrefix: DEFINITIONS_PREFIX,
  };
  const root = targetConstructorToSchema(dto, options) as Record<string, unknown>;
  const referenced = referencedNames(root);
  if (referenced.size === 0) return root;
  // Nested DTOs come out as $refs: inline the definitions they point to, transitively.
  const all = validationMetadatasToSchemas(options) as Record<string, Record<string, unknown>>;
  const defs: Record<string, unknown> = {};
  const pending = [...referenced];
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (name in defs || all[name] === undefined) continue;
    defs[name] = all[name];
    pending.push(...referencedNames(all[name]));
  }
  return { ...root, $defs: defs };
}

function referencedNames(schema: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) for (const item of schema) referencedNames(item, found);
  else if (typeof schema === 'object' && schema !== null)
    for (const [key, value] of Object.entries(schema)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith(DEFINITIONS_PREFIX))
        found.add(value.slice(DEFINITIONS_PREFIX.length));
      else referencedNames(value, found);
    }
  return found;
}

/** class-validator's messages start with the property name; nested ones get their path. */
function describeError(error: ValidationError, parentPath: string): string[] {
  const own = Object.values(error.constraints ?? {}).map((message) =>
    parentPath === ''
      ? message
      : message.startsWith(error.property)
        ? `${parentPath}${message}`
        : `${parentPath}${error.property}: ${message}`,
  );
  const children = (error.children ?? []).flatMap((child) =>
    describeError(child, `${parentPath}${error.property}.`),
  );
  return [...own, ...children];
}
