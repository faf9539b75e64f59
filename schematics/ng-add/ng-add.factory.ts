import { join, normalize } from '@angular-devkit/core';
import { chain, type Rule, SchematicsException } from '@angular-devkit/schematics';
import { addNamedImport } from '../utils/import-declaration.js';
import { addModuleMetadataEntry } from '../utils/module-metadata.editor.js';
import { readJson, resolveSourceRoot } from '../utils/nest-workspace.js';
import { installedSpec } from './installed-spec.js';
import type { NgAddOptions } from './ng-add-options.js';
import { type OwnPackage, readOwnPackage } from './own-package.js';

type Manifest = Record<string, unknown> & {
  name?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
};

/**
 * `nest add nest-mcp` (the Nest CLI runs `nest-add`, an alias): imports
 * `McpModule.forRoot({ serverInfo })` in the app module and adds the package to dependencies.
 * Each step checks first, so a second run changes nothing; each says what it did.
 */
export function main(options: NgAddOptions): Rule {
  return () => {
    const own = readOwnPackage();
    return chain([importMcpModule(options, own), addDependency(own)]);
  };
}

function importMcpModule(options: NgAddOptions, own: OwnPackage): Rule {
  return (tree, context) => {
    const modulePath = join(normalize(resolveSourceRoot(tree, options)), options.module ?? 'app.module.ts');
    if (!tree.exists(modulePath)) {
      throw new SchematicsException(
        `${modulePath} not found: pass --module <file under the source root> or --project <name>.`,
      );
    }
    const serverName =
      options.serverName ?? options.project ?? readJson<Manifest>(tree, 'package.json')?.name ?? 'mcp-server';
    const entry = `McpModule.forRoot({ serverInfo: { name: '${serverName}', version: '0.1.0' } })`;
    const source = tree.readText(modulePath);
    // Any McpModule entry counts as present: the user may have configured it differently.
    const edit = addModuleMetadataEntry(source, 'imports', entry, (existing) =>
      /^McpModule\b/.test(existing),
    );
    if (edit.outcome === 'added') {
      tree.overwrite(modulePath, addNamedImport(edit.source, 'McpModule', own.name));
      context.logger.info(`Added ${entry} to the imports of ${modulePath}.`);
    } else if (edit.outcome === 'present') {
      const withImport = addNamedImport(source, 'McpModule', own.name);
      if (withImport !== source) tree.overwrite(modulePath, withImport);
      context.logger.info(`${modulePath} already imports McpModule; left as is.`);
    } else {
      throw new SchematicsException(
        `${modulePath}: ${edit.outcome === 'not-an-array' ? 'imports is not an array literal' : 'no @Module({...}) found'}; add ${entry} to its imports yourself.`,
      );
    }
  };
}

function addDependency(own: OwnPackage): Rule {
  return (tree, context) => {
    const manifest = readJson<Manifest>(tree, 'package.json');
    if (manifest === undefined) {
      context.logger.warn(`No package.json: add ${own.name}@^${own.version} to your dependencies yourself.`);
      return;
    }
    if (
      manifest.dependencies?.[own.name] !== undefined ||
      manifest.devDependencies?.[own.name] !== undefined
    ) {
      context.logger.info(`${own.name} is already in package.json; left as is.`);
      return;
    }
    const spec = installedSpec(tree, own.name, own.version);
    // npm keeps dependencies sorted; so does this, to leave the diff a single line.
    const dependencies = Object.fromEntries(
      Object.entries({ ...manifest.dependencies, [own.name]: spec }).toSorted(([a], [b]) =>
        a.localeCompare(b),
      ),
    );
    tree.overwrite('package.json', `${JSON.stringify({ ...manifest, dependencies }, null, 2)}\n`);
    context.logger.info(
      `Added ${own.name}@${spec} to the dependencies in package.json; run your package manager's install.`,
    );
  };
}
