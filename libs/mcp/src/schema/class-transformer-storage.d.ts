// class-transformer keeps its metadata storage (needed to follow @Type() into nested DTOs)
// in a module its package does not type for deep imports.
declare module 'class-transformer/cjs/storage.js' {
  import type { MetadataStorage } from 'class-transformer/types/MetadataStorage.js';
  export const defaultMetadataStorage: MetadataStorage;
}
