import type { CallToolResult } from '@modelcontextprotocol/server';

/** A handler's return value that already is a tool result (it has a `content` list). */
export function isCallToolResult(value: unknown): value is CallToolResult {
  return (
    typeof value === 'object' && value !== null && Array.isArray((value as { content?: unknown }).content)
  );
}

export function textResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text }] };
}

/** Structured values go out as JSON-safe plain data (DTO instances, dates), as they will be seen. */
export function toPlainData(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}
