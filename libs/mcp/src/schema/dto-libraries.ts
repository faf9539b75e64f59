import { createRequire } from 'node:module';
import type * as ClassTransformer from 'class-transformer';
import type { MetadataStorage } from 'class-transformer/types/MetadataStorage.js';
import type * as ClassValidator from 'class-validator';
import type * as ClassValidatorJsonSchema from 'class-validator-jsonschema';

/** The three packages a class-validator DTO schema runs on, loaded together. */
export interface DtoLibraries {
  readonly plainToInstance: typeof ClassTransformer.plainToInstance;
  /** class-transformer's storage of `@Type()` metadata, needed to follow nested DTOs. */
  readonly classTransformerStorage: MetadataStorage;
  readonly validate: typeof ClassValidator.validate;
  readonly targetConstructorToSchema: typeof ClassValidatorJsonSchema.targetConstructorToSchema;
  readonly validationMetadatasToSchemas: typeof ClassValidatorJsonSchema.validationMetadatasToSchemas;
}

/** The packages, by the name a user installs. */
export const DTO_PACKAGES = ['class-validator', 'class-transformer', 'class-validator-jsonschema'] as const;

let loaded: DtoLibraries | undefined;

/**
 * Loads the DTO packages the first time a DTO class is used as a schema, so that apps that only
 * use Standard Schemas (zod...) need not install them (they are optional peer dependencies).
 * `require` rather than `import()`: schemas compile synchronously at registration, and all three
 * packages are CommonJS, so this yields the very instances the app's own decorators registered
 * their metadata with (Node's ESM loader serves them from the same CommonJS cache).
 *
 * @throws Error naming the missing packages and the install command.
 */
export function loadDtoLibraries(dtoName: string): DtoLibraries {
  if (loaded !== undefined) return loaded;
  const require = createRequire(import.meta.url);
  try {
    const transformer = require('class-transformer') as typeof ClassTransformer;
    const storage = require('class-transformer/cjs/storage.js') as {
      defaultMetadataStorage: MetadataStorage;
    };
    const validator = require('class-validator') as typeof ClassValidator;
    const jsonSchema = require('class-validator-jsonschema') as typeof ClassValidatorJsonSchema;
    loaded = {
      plainToInstance: transformer.plainToInstance,
      classTransformerStorage: storage.defaultMetadataStorage,
      validate: validator.validate,
      targetConstructorToSchema: jsonSchema.targetConstructorToSchema,
      validationMetadatasToSchemas: jsonSchema.validationMetadatasToSchemas,
    };
    return loaded;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error;
    const missing = DTO_PACKAGES.filter((name) => !resolvable(require, name));
    throw new Error(
      `The DTO class ${dtoName} is used as an MCP schema, which needs ${missing.join(', ') || DTO_PACKAGES.join(', ')}: ` +
        `npm install ${DTO_PACKAGES.join(' ')} (or use a Standard Schema such as zod).`,
      { cause: error },
    );
  }
}

function resolvable(require: NodeJS.Require, name: string): boolean {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
}
