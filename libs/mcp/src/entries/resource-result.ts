import type { ReadResourceResult } from '@modelcontextprotocol/server';
import { NotFoundException } from '@nestjs/common';

/**
 * A `ReadResourceResult` (has `contents`): as is. A string: text. Bytes: a base64 blob.
 * Other values: JSON text. `undefined`/`null`: the resource does not exist (-32602 on the wire).
 */
export function toReadResourceResult(
  value: unknown,
  uri: string,
  mimeType: string | undefined,
): ReadResourceResult {
  if (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { contents?: unknown }).contents)
  )
    return value as ReadResourceResult;
  if (value === undefined || value === null) throw new NotFoundException(`Resource not found: ${uri}`);
  const withType = mimeType === undefined ? { uri } : { uri, mimeType };
  if (typeof value === 'string') return { contents: [{ ...withType, text: value }] };
  if (value instanceof Uint8Array)
    return {
      contents: [
        {
          ...withType,
          blob: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64'),
        },
      ],
    };
  return { contents: [{ uri, mimeType: mimeType ?? 'application/json', text: JSON.stringify(value) }] };
}
