import type { ArgumentCheck, ArgumentChecker } from '../registry/registry-entries.js';
import type { CompiledSchema, SchemaCheck } from '../schema/compiled-schema.js';

/** Adapts a schema check to the protocol's `ArgumentCheck`, staying synchronous when the schema is. */
export function argumentChecker(schema: CompiledSchema, prefix: string): ArgumentChecker {
  const adapt = (check: SchemaCheck): ArgumentCheck =>
    check.ok
      ? { ok: true, value: check.value as Record<string, unknown> }
      : { ok: false, message: `${prefix}${check.message}` };
  return (args) => {
    const check = schema.check(args);
    return check instanceof Promise ? check.then(adapt) : adapt(check);
  };
}
