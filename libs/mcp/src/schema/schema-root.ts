import type { SchemaSide } from './compiled-schema.js';

/**
 * Tool and prompt inputs must describe objects; outputs may have any root, but get
 * `type: 'object'` when they plainly are one (so 2025-era clients, which require it, accept them).
 */
export function normalizeRoot(
  json: Record<string, unknown>,
  side: SchemaSide,
  label: string,
): Record<string, unknown> {
  if (json['type'] === undefined) {
    if (side === 'input' || 'properties' in json || 'required' in json || 'additionalProperties' in json)
      return { type: 'object', ...json };
    return json;
  }
  if (side === 'input' && json['type'] !== 'object')
    throw new Error(`${label} must describe an object (got type ${JSON.stringify(json['type'])})`);
  return json;
}
