import { McpWireError } from '../errors/wire-errors.js';

/**
 * Opaque cursors for list results. A cursor is the offset of the next page, encoded so
 * clients do not read meaning into it; anything that does not decode is -32602.
 */
export function pageOf<T>(
  items: readonly T[],
  cursor: unknown,
  pageSize: number,
): { readonly page: readonly T[]; readonly nextCursor?: string } {
  const start = cursor === undefined ? 0 : decodeCursor(cursor);
  if (start === 0 && items.length <= pageSize) return { page: items };
  const end = start + pageSize;
  const page = items.slice(start, end);
  return end < items.length ? { page, nextCursor: encodeCursor(end) } : { page };
}

function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url');
}

function decodeCursor(cursor: unknown): number {
  if (typeof cursor === 'string') {
    const match = /^o:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString());
    if (match !== null) return Number(match[1]);
  }
  throw new McpWireError('invalid-params', 'Invalid params: invalid cursor');
}
