/**
 * One keyed list of the registry. Lookups go to the map; `list()` hands out an array that
 * stays the same object until the next change, so the protocol layer can cache what it
 * derives from it (wire definitions, capabilities) by identity.
 */
export class RegistryList<T> {
  private readonly byKey = new Map<string, T>();
  private snapshot: readonly T[] | undefined = [];

  constructor(private readonly kind: string) {}

  add(key: string, entry: T): void {
    if (this.byKey.has(key)) throw new Error(`A ${this.kind} named '${key}' is already registered`);
    this.byKey.set(key, entry);
    this.snapshot = undefined;
  }

  remove(key: string): boolean {
    if (!this.byKey.delete(key)) return false;
    this.snapshot = undefined;
    return true;
  }

  get(key: string): T | undefined {
    return this.byKey.get(key);
  }

  list(): readonly T[] {
    return (this.snapshot ??= Object.freeze([...this.byKey.values()]));
  }
}
