import { insertAt, maskNonCode } from './source-scanner.js';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * `source` with `import { symbol } from 'specifier'`, unless the symbol is already imported from
 * there. An existing value import from the same specifier gains the symbol; otherwise a new
 * declaration goes after the last import. Returns `source` itself when nothing had to change.
 */
export function addNamedImport(source: string, symbol: string, specifier: string): string {
  const fromSpecifier = new RegExp(
    String.raw`import\s+(type\s+)?\{([^}]*)\}\s*from\s*(['"])${escapeRegExp(specifier)}\3`,
    'g',
  );
  const valueImports = [...source.matchAll(fromSpecifier)].filter((match) => match[1] === undefined);
  const named = new RegExp(String.raw`(^|[\s,])${escapeRegExp(symbol)}([\s,]|$)`);
  if (valueImports.some((match) => named.test(match[2]!))) return source;

  const existing = valueImports[0];
  if (existing !== undefined) {
    const braceClose = existing.index + existing[0].indexOf('}');
    const names = existing[2]!.trimEnd();
    const separator = names.trim() === '' ? ' ' : names.endsWith(',') ? ' ' : ', ';
    const insertion = braceClose - (existing[2]!.length - names.length);
    return insertAt(source, insertion, `${separator}${symbol}${names.trim() === '' ? ' ' : ''}`);
  }

  // Module specifiers are masked to blanks between their quotes, so `(['"])\s*\1` is one.
  const declarations = [...maskNonCode(source).matchAll(/^import\b[^;]*?(['"])\s*\1[ \t]*;?/gm)];
  const line = `import { ${symbol} } from '${specifier}';`;
  const last = declarations.at(-1);
  if (last === undefined) return `${line}\n${source}`;
  return insertAt(source, last.index + last[0].length, `\n${line}`);
}
