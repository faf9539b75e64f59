/**
 * Arguments that satisfy a tool's input schema well enough for a conformance call: every
 * required property (every property with `all`) gets its `default`, first `enum` value, or a plain value of its type.
 */
export function argumentsFor(schema: unknown, all = false): Record<string, unknown> {
  const object = schema as { properties?: Record<string, unknown>; required?: string[] } | undefined;
  const args: Record<string, unknown> = {};
  const names = all ? Object.keys(object?.properties ?? {}) : (object?.required ?? []);
  for (const name of names) args[name] = valueFor(object?.properties?.[name]);
  return args;
}

function valueFor(schema: unknown): unknown {
  const s = (schema ?? {}) as {
    type?: string | string[];
    default?: unknown;
    enum?: unknown[];
    const?: unknown;
  };
  if (s.const !== undefined) return s.const;
  if (s.default !== undefined) return s.default;
  if (s.enum !== undefined && s.enum.length > 0) return s.enum[0];
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'number':
    case 'integer':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return [];
    case 'object':
      return argumentsFor(schema);
    default:
      return 'test';
  }
}
