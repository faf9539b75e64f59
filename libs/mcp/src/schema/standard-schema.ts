import type { StandardSchemaV1 } from '@modelcontextprotocol/server';
import { toJSONSchema, type ZodType } from 'zod';
import type { CompiledSchema, SchemaCheck, SchemaSide } from './compiled-schema.js';
import { normalizeRoot } from './schema-root.js';

/** The draft MCP names as the default dialect, and the one the SDK converts to. */
const JSON_SCHEMA_TARGET = 'draft-2020-12';

interface JsonSchemaFace {
  readonly jsonSchema?: {
    readonly [side in SchemaSide]: (options: { target: string }) => Record<string, unknown>;
  };
}

/**
 * A Standard Schema: validated with `~standard.validate`, described by its Standard JSON
 * Schema face (`~standard.jsonSchema`), or by `z.toJSONSchema` for zod 4 releases that
 * predate that face.
 */
export function compileStandardSchema(schema: StandardSchemaV1, side: SchemaSide): CompiledSchema {
  const standard = schema['~standard'];
  return {
    jsonSchema: normalizeRoot(jsonSchemaOf(schema, side), side, `A ${side} schema (${standard.vendor})`),
    check: (value) => {
      const result = standard.validate(value);
      return result instanceof Promise ? result.then(toCheck) : toCheck(result);
    },
  };
}

function jsonSchemaOf(schema: StandardSchemaV1, side: SchemaSide): Record<string, unknown> {
  const standard = schema['~standard'] as StandardSchemaV1['~standard'] & JsonSchemaFace;
  if (standard.jsonSchema !== undefined) return standard.jsonSchema[side]({ target: JSON_SCHEMA_TARGET });
  if (standard.vendor === 'zod' && '_zod' in schema)
    return toJSONSchema(schema as unknown as ZodType, { target: JSON_SCHEMA_TARGET, io: side }) as Record<
      string,
      unknown
    >;
  throw new Error(
    `Schema library "${standard.vendor}" offers no JSON Schema (\`~standard.jsonSchema\`); wrap a JSON Schema with fromJsonSchema() instead`,
  );
}

function toCheck(result: StandardSchemaV1.Result<unknown>): SchemaCheck {
  if (result.issues === undefined || result.issues.length === 0)
    return { ok: true, value: (result as StandardSchemaV1.SuccessResult<unknown>).value };
  return { ok: false, message: result.issues.map(describeIssue).join('; ') };
}

function describeIssue(issue: StandardSchemaV1.Issue): string {
  if (issue.path === undefined || issue.path.length === 0) return issue.message;
  const path = issue.path
    .map((segment) => String(typeof segment === 'object' ? segment.key : segment))
    .join('.');
  return `${path}: ${issue.message}`;
}
