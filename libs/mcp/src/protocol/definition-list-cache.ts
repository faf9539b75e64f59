/**
 * The wire definitions of one catalog list (`tools/list`, ...), rebuilt only when the
 * catalog hands out a new list (it caches its arrays and replaces them on change).
 */
export class DefinitionListCache<E, D> {
  private source: readonly E[] | undefined;
  private definitions: readonly D[] = [];

  constructor(private readonly toDefinition: (entry: E) => D) {}

  get(source: readonly E[]): readonly D[] {
    if (source !== this.source) {
      this.definitions = source.map(this.toDefinition);
      this.source = source;
    }
    return this.definitions;
  }
}
