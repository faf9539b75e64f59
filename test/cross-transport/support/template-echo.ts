import type { McpResourceArgs } from 'nest-mcp';

/** The template of the report: one simple variable between two fixed segments. */
export const TEMPLATE_DATA = 'test://template/{id}/data';

/** A resource body that shows the handler's arguments exactly: `{ uri, variables }` as JSON. */
export function templateEcho({ uri, variables }: McpResourceArgs): string {
  return JSON.stringify({ uri, variables });
}

/** Completions for `{id}`: values that need percent-encoding, to check they round-trip through a read. */
export function completeTemplateId(value: string): string[] {
  return ['a b/cé', '100%', 'plain'].filter((id) => id.startsWith(value));
}
