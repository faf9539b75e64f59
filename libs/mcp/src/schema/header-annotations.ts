import { X_MCP_HEADER } from './header-params.js';

/**
 * The `headers` option of a tool (`{ region: 'Region' }`) written into its input schema as
 * `x-mcp-header` annotations, so DTOs and zod schemas need no vendor keyword of their own and
 * the wire definition stays the one source clients and the server both read. Returns a copy;
 * the compiled schema may be shared.
 */
export function withHeaderAnnotations(
  inputSchema: Readonly<Record<string, unknown>>,
  headers: Readonly<Record<string, string>>,
  label: string,
): Record<string, unknown> {
  const properties = inputSchema['properties'] as Record<string, unknown> | undefined;
  const annotated: Record<string, unknown> = { ...properties };
  for (const [property, name] of Object.entries(headers)) {
    const schema = properties?.[property];
    if (typeof schema !== 'object' || schema === null)
      throw new Error(`${label}: headers names "${property}", which is not a property of its input schema`);
    annotated[property] = { ...schema, [X_MCP_HEADER]: name };
  }
  return { ...inputSchema, properties: annotated };
}
