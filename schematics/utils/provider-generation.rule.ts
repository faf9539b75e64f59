import { basename, dirname, join, normalize, type Path, relative, strings } from '@angular-devkit/core';
import {
  apply,
  applyTemplates,
  chain,
  filter,
  mergeWith,
  move,
  noop,
  type Rule,
  SchematicsException,
  url,
} from '@angular-devkit/schematics';
import { addNamedImport } from './import-declaration.js';
import { addModuleMetadataEntry } from './module-metadata.editor.js';
import { findNearestModule } from './nearest-module.js';
import {
  detectTestRunner,
  isEsmPackage,
  isWorkspaceRoot,
  readJson,
  resolveSourceRoot,
} from './nest-workspace.js';
import type { ProviderOptions } from './provider-options.js';

/** What one provider schematic adds to the shared generation: its role and template values. */
export interface ProviderKind {
  /** File suffix and class suffix: `tool` gives `x.tool.ts` and `XTool`. */
  readonly role: 'tool' | 'resource' | 'prompt';
  /** Values for this schematic's templates, beyond the shared ones. */
  readonly templateValues?: (name: string) => Record<string, unknown>;
  /** The templates include a class-validator DTO, which needs the optional DTO packages. */
  readonly generatesDto?: boolean;
}

/** The optional peer dependencies a class-validator DTO schema runs on. */
const DTO_PACKAGES = ['class-validator', 'class-transformer', 'class-validator-jsonschema'];

/**
 * Generates the templates in the calling schematic's `files/` folder for a provider and registers
 * the provider in the nearest module, as `nest g service` does: `<sourceRoot>/<path>/<name>/`
 * (or without the last folder with `flat`), the module found from there upwards.
 */
export function generateProvider(options: ProviderOptions, kind: ProviderKind): Rule {
  return (tree) => {
    if (options.name === undefined || options.name.trim() === '') {
      throw new SchematicsException('Option (name) is required.');
    }
    if (options.language !== undefined && options.language !== 'ts') {
      throw new SchematicsException(`nest-mcp generates TypeScript only (language "${options.language}").`);
    }
    const requested = normalize(options.name.trim());
    const name = strings.dasherize(basename(requested));
    const sourceRoot = isWorkspaceRoot(tree) ? resolveSourceRoot(tree, options) : '';
    const segments = [sourceRoot, options.path ?? '', dirname(requested), options.flat ? '' : name];
    const directory = join(
      normalize('/'),
      ...segments.filter((segment) => segment !== '' && segment !== '.'),
    );
    const isEsm = isEsmPackage(tree);
    const className = strings.classify(name) + strings.capitalize(kind.role);

    const templates = apply(url('./files'), [
      options.spec === false ? filter((path) => !path.includes('.__specFileSuffix__.')) : noop(),
      applyTemplates({
        ...strings,
        ...kind.templateValues?.(name),
        name,
        importSuffix: isEsm ? '.js' : '',
        specFileSuffix: strings.dasherize(options.specFileSuffix ?? 'spec'),
        testRunner: detectTestRunner(tree),
      }),
      move(directory),
    ]);
    const provider = join(directory, `${name}.${kind.role}`);
    return chain([
      options.skipImport === true ? noop() : registerInNearestModule(directory, provider, className, isEsm),
      mergeWith(templates),
      kind.generatesDto === true ? warnOfMissingDtoPackages() : noop(),
    ]);
  };
}

/** Says what to install when package.json lacks a package the generated DTO imports. */
function warnOfMissingDtoPackages(): Rule {
  return (tree, context) => {
    const manifest = readJson<Record<string, Record<string, string> | undefined>>(tree, 'package.json');
    if (manifest === undefined) return;
    const declared = { ...manifest['dependencies'], ...manifest['devDependencies'] };
    const missing = DTO_PACKAGES.filter((name) => !(name in declared));
    if (missing.length > 0) {
      context.logger.warn(`The generated DTO needs ${missing.join(', ')}: npm install ${missing.join(' ')}`);
    }
  };
}

/** Adds `className` (defined in `provider`, a path without extension) to the nearest module's providers. */
function registerInNearestModule(directory: Path, provider: Path, className: string, isEsm: boolean): Rule {
  return (tree, context) => {
    const modulePath = findNearestModule(tree, directory);
    if (modulePath === undefined) {
      context.logger.warn(
        `No *.module.ts at or above ${directory}: add ${className} to a module's providers yourself.`,
      );
      return;
    }
    const source = tree.readText(modulePath);
    const edit = addModuleMetadataEntry(source, 'providers', className);
    if (edit.outcome === 'present') return;
    if (edit.outcome !== 'added') {
      context.logger.warn(
        `${modulePath}: ${edit.outcome === 'not-an-array' ? 'providers is not an array literal' : 'no @Module({...}) found'}; add ${className} to its providers yourself.`,
      );
      return;
    }
    const fromModule = relative(dirname(modulePath), provider);
    const specifier = (fromModule.startsWith('.') ? fromModule : `./${fromModule}`) + (isEsm ? '.js' : '');
    tree.overwrite(modulePath, addNamedImport(edit.source, className, specifier));
  };
}
