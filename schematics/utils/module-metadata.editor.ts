import { closingOf, indentationAt, insertAt, itemsBetween, maskNonCode } from './source-scanner.js';

/** What became of a request to add an entry to a module's metadata array. */
export type MetadataEdit =
  | { readonly outcome: 'added'; readonly source: string }
  | { readonly outcome: 'present' | 'no-module-decorator' | 'not-an-array' };

/**
 * Adds `entry` to the `property` array (`providers`, `imports`, ...) of the first `@Module({...})`
 * in `source`, creating the property when it is missing, in the layout the file already uses
 * (one entry per line or all on one line). `isSame` decides whether an existing entry already is
 * this one (for `McpModule.forRoot(...)`, any `McpModule...` entry is), which keeps edits
 * idempotent. A property whose value is not an array literal (a variable, a spread) is left alone.
 */
export function addModuleMetadataEntry(
  source: string,
  property: string,
  entry: string,
  isSame: (existing: string) => boolean = (existing) => existing === entry,
): MetadataEdit {
  const mask = maskNonCode(source);
  const decorator = /@Module\s*\(\s*\{/.exec(mask);
  if (decorator === null) return { outcome: 'no-module-decorator' };
  const objectOpen = decorator.index + decorator[0].length - 1;
  const objectClose = closingOf(mask, objectOpen);
  const properties = itemsBetween(mask, objectOpen, objectClose);

  for (const range of properties) {
    const key = /^(?:(['"])(\w+)\1|(\w+))\s*:/.exec(source.slice(range.start, range.end));
    if (key === null || (key[2] ?? key[3]) !== property) continue;
    const valueStart = range.start + key[0].length;
    const arrayOpen = mask.slice(valueStart, range.end).search(/\S/) + valueStart;
    if (mask[arrayOpen] !== '[' || closingOf(mask, arrayOpen) !== range.end - 1) {
      return { outcome: 'not-an-array' };
    }
    const arrayClose = range.end - 1;
    const entries = itemsBetween(mask, arrayOpen, arrayClose);
    if (entries.some(({ start, end }) => isSame(source.slice(start, end)))) return { outcome: 'present' };
    const last = entries.at(-1);
    if (last === undefined) {
      return { outcome: 'added', source: source.slice(0, arrayOpen + 1) + entry + source.slice(arrayClose) };
    }
    const multiline = source.slice(arrayOpen, arrayClose).includes('\n');
    const separator = multiline ? `,\n${indentationAt(source, last.start)}` : ', ';
    return { outcome: 'added', source: insertAt(source, last.end, separator + entry) };
  }

  const newProperty = `${property}: [${entry}]`;
  const last = properties.at(-1);
  if (last === undefined) {
    const inner = `\n${indentationAt(source, objectOpen)}  ${newProperty},\n${indentationAt(source, objectOpen)}`;
    return { outcome: 'added', source: source.slice(0, objectOpen + 1) + inner + source.slice(objectClose) };
  }
  const multiline = source.slice(objectOpen, objectClose).includes('\n');
  const separator = multiline ? `,\n${indentationAt(source, last.start)}` : ', ';
  return { outcome: 'added', source: insertAt(source, last.end, separator + newProperty) };
}
