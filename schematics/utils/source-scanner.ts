/**
 * Just enough of a TypeScript scanner to edit module files: it knows strings, template literals,
 * comments and brackets, and nothing else.
 *
 * Why not the TypeScript compiler API, as @nestjs/schematics' `ModuleDeclarator` does: that API
 * is gone from TypeScript 7 (the native compiler, this repository's `typescript`), so any import
 * of `@nestjs/schematics`' utilities fails there with "does not provide an export named
 * 'SyntaxKind'" — `nest g service` itself fails in such a project. Module files are small and
 * regular; finding `@Module({ ... })`, a property and its array needs brackets, not types.
 */

/** A half-open range `[start, end)` of source offsets. */
export interface SourceRange {
  readonly start: number;
  readonly end: number;
}

/**
 * The source with the contents of strings, template literals and comments replaced by spaces
 * (line breaks kept), so that brackets, commas and keywords found in it are real code. Offsets
 * are the same as in the source.
 */
export function maskNonCode(source: string): string {
  const out = source.split('');
  const blank = (from: number, to: number): void => {
    for (let i = from; i < to; i++) if (out[i] !== '\n' && out[i] !== '\r') out[i] = ' ';
  };
  let i = 0;
  while (i < source.length) {
    const char = source[i]!;
    const next = source[i + 1];
    if (char === '/' && next === '/') {
      const end = source.indexOf('\n', i);
      const stop = end === -1 ? source.length : end;
      blank(i, stop);
      i = stop;
    } else if (char === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end === -1 ? source.length : end + 2;
      blank(i, stop);
      i = stop;
    } else if (char === "'" || char === '"' || char === '`') {
      const stop = endOfQuoted(source, i);
      // Keep the quotes so that a masked string still reads as a string literal.
      blank(i + 1, stop - 1);
      i = stop;
    } else {
      i++;
    }
  }
  return out.join('');
}

/** The offset just past the literal opened at `start`; template `${...}` parts are skipped whole. */
function endOfQuoted(source: string, start: number): number {
  const quote = source[start];
  let i = start + 1;
  while (i < source.length) {
    const char = source[i];
    if (char === '\\') {
      i += 2;
    } else if (char === quote) {
      return i + 1;
    } else if (quote === '`' && char === '$' && source[i + 1] === '{') {
      i = closingOf(source, i + 1, true) + 1;
    } else if (quote !== '`' && char === '\n') {
      return i; // An unterminated string: stop at the line end rather than eat the file.
    } else {
      i++;
    }
  }
  return source.length;
}

const OPENERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const CLOSERS = new Set([')', ']', '}']);

/**
 * The offset of the bracket closing the one at `open`. On masked text every bracket is code;
 * with `skipLiterals` (raw text inside a template expression) nested literals are stepped over.
 */
export function closingOf(text: string, open: number, skipLiterals = false): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const char = text[i]!;
    if (skipLiterals && (char === "'" || char === '"' || char === '`')) {
      i = endOfQuoted(text, i) - 1;
    } else if (char in OPENERS) {
      depth++;
    } else if (CLOSERS.has(char)) {
      depth--;
      if (depth === 0) return i;
    }
  }
  throw new Error(`unbalanced bracket at offset ${open}`);
}

/**
 * The comma-separated items between `open` and its closing bracket in masked text, each
 * trimmed of surrounding white space; an empty item (a trailing comma) is dropped.
 */
export function itemsBetween(mask: string, open: number, close: number): SourceRange[] {
  const items: SourceRange[] = [];
  let depth = 0;
  let start = open + 1;
  const push = (end: number): void => {
    const range = trimRange(mask, start, end);
    if (range.end > range.start) items.push(range);
  };
  for (let i = open + 1; i < close; i++) {
    const char = mask[i]!;
    if (char in OPENERS) depth++;
    else if (CLOSERS.has(char)) depth--;
    else if (char === ',' && depth === 0) {
      push(i);
      start = i + 1;
    }
  }
  push(close);
  return items;
}

function trimRange(mask: string, start: number, end: number): SourceRange {
  while (start < end && /\s/.test(mask[start]!)) start++;
  while (end > start && /\s/.test(mask[end - 1]!)) end--;
  return { start, end };
}

/** The white space that starts the line holding `offset`. */
export function indentationAt(source: string, offset: number): string {
  const lineStart = source.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(source.slice(lineStart))![0];
}

/** `text` with `insertion` placed at `offset`. */
export function insertAt(text: string, offset: number, insertion: string): string {
  return text.slice(0, offset) + insertion + text.slice(offset);
}
