import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';
import type {
  McpCompletionOptions,
  McpPromptOptions,
  McpResourceOptions,
  McpToolOptions,
} from '../decorators/decorator-options.js';
import { buildPromptEntry } from '../entries/prompt-entry.builder.js';
import { buildResourceEntry, buildResourceTemplateEntry } from '../entries/resource-entry.builder.js';
import { buildToolEntry } from '../entries/tool-entry.builder.js';
import { McpHandlerFactory } from '../pipeline/mcp-handler.factory.js';
import { McpRegistry } from '../registry/mcp-registry.service.js';
import type { ArgumentCompleter } from '../registry/registry-entries.js';
import { discoveryMessages as messages } from './discovery.messages.js';
import { McpMetadataAccessor, type McpMethodMetadata } from './mcp-metadata.accessor.js';

/** One decorated method found on a provider or controller. */
interface FoundMethod<TOptions> {
  readonly instance: object;
  readonly methodName: string;
  /** `Class.method`, for messages. */
  readonly source: string;
  readonly options: TOptions;
}

interface Found {
  tools: FoundMethod<McpToolOptions>[];
  resources: FoundMethod<McpResourceOptions>[];
  prompts: FoundMethod<McpPromptOptions>[];
  completions: FoundMethod<McpCompletionOptions>[];
}

/**
 * Runs once at start-up: finds `@McpTool`, `@McpResource`, `@McpPrompt` and
 * `@McpCompletion` methods on every provider and controller of the app, wraps each handler
 * in the Nest pipeline and registers the entries. Duplicate names fail start-up; providers
 * that are not singletons are reported, not silently skipped.
 */
@Injectable()
export class McpExplorer implements OnModuleInit {
  private readonly logger = new Logger('McpModule');

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly accessor: McpMetadataAccessor,
    private readonly handlers: McpHandlerFactory,
    private readonly registry: McpRegistry,
  ) {}

  onModuleInit(): void {
    const found = this.collect();
    this.register(found);
  }

  private collect(): Found {
    const found: Found = { tools: [], resources: [], prompts: [], completions: [] };
    const seen = new Set<object>();
    for (const wrapper of [...this.discovery.getProviders(), ...this.discovery.getControllers()]) {
      const prototype = prototypeOf(wrapper);
      if (prototype === undefined || wrapper.isAlias) continue;
      if (!wrapper.isDependencyTreeStatic() || wrapper.isTransient) {
        this.warnIfDecorated(wrapper, prototype);
        continue;
      }
      const instance = wrapper.instance as object;
      if (seen.has(instance)) continue;
      seen.add(instance);
      for (const methodName of this.scanner.getAllMethodNames(prototype)) {
        const roles = this.accessor.rolesOf(prototype[methodName] as () => unknown);
        if (roles.length === 0) continue;
        const source = `${wrapper.metatype?.name ?? String(wrapper.name)}.${methodName}`;
        if (roles.length > 1) throw new Error(messages.severalRoles(source));
        addFound(found, roles[0]!, { instance, methodName, source });
      }
    }
    return found;
  }

  private warnIfDecorated(wrapper: InstanceWrapper, prototype: Record<string, unknown>): void {
    const decorated = this.scanner
      .getAllMethodNames(prototype)
      .filter((methodName) => this.accessor.rolesOf(prototype[methodName] as () => unknown).length > 0);
    if (decorated.length > 0)
      this.logger.warn(messages.notStatic(wrapper.metatype?.name ?? String(wrapper.name), decorated));
  }

  private register(found: Found): void {
    const fixed = found.resources.filter((item) => item.options.uri !== undefined);
    const templated = found.resources.filter((item) => item.options.uriTemplate !== undefined);
    assertUnique('tool', found.tools, (item) => item.options.name ?? item.methodName);
    assertUnique('resource', fixed, (item) => item.options.uri!);
    assertUnique('resource template', templated, (item) => item.options.uriTemplate!);
    assertUnique('prompt', found.prompts, (item) => item.options.name ?? item.methodName);
    const completers = this.completersByTarget(found, fixed);

    // Build everything before registering anything, so a bad declaration leaves the registry untouched.
    const tools = found.tools.map((item) =>
      buildToolEntry({ ...item.options, name: item.options.name ?? item.methodName }, this.handlerOf(item)),
    );
    const resources = fixed.map((item) =>
      buildResourceEntry(
        { ...item.options, uri: item.options.uri!, name: item.options.name ?? item.methodName },
        this.handlerOf(item),
      ),
    );
    const templates = templated.map((item) =>
      buildResourceTemplateEntry(
        {
          ...item.options,
          uriTemplate: item.options.uriTemplate!,
          name: item.options.name ?? item.methodName,
        },
        this.handlerOf(item),
        completers.get(`template:${item.options.uriTemplate}`),
      ),
    );
    const prompts = found.prompts.map((item) => {
      const name = item.options.name ?? item.methodName;
      return buildPromptEntry(
        { ...item.options, name },
        this.handlerOf(item),
        completers.get(`prompt:${name}`),
      );
    });
    for (const entry of tools) this.registry.addToolEntry(entry);
    for (const entry of resources) this.registry.addResourceEntry(entry);
    for (const entry of templates) this.registry.addResourceTemplateEntry(entry);
    for (const entry of prompts) this.registry.addPromptEntry(entry);
    this.logger.log(messages.registered(tools.length, resources.length, templates.length, prompts.length));
  }

  /** `@McpCompletion` methods grouped by the prompt or template they complete. */
  private completersByTarget(
    found: Found,
    fixed: FoundMethod<McpResourceOptions>[],
  ): Map<string, Map<string, ArgumentCompleter>> {
    const targets = new Set([
      ...found.prompts.map((item) => `prompt:${item.options.name ?? item.methodName}`),
      ...found.resources
        .filter((item) => !fixed.includes(item))
        .map((item) => `template:${item.options.uriTemplate}`),
    ]);
    const byTarget = new Map<string, Map<string, ArgumentCompleter>>();
    for (const item of found.completions) {
      const { options } = item;
      const target =
        'prompt' in options ? `prompt:${options.prompt}` : `template:${options.resourceTemplate}`;
      const label =
        'prompt' in options
          ? `prompt '${options.prompt}'`
          : `resource template '${options.resourceTemplate}'`;
      if (!targets.has(target)) throw new Error(messages.unknownCompletionTarget(item.source, label));
      const completers = byTarget.get(target) ?? new Map<string, ArgumentCompleter>();
      if (completers.has(options.argument))
        throw new Error(
          messages.duplicate('completion', `${label} / ${options.argument}`, 'another method', item.source),
        );
      const method = (item.instance as Record<string, ArgumentCompleter>)[item.methodName]!;
      completers.set(
        options.argument,
        async (value, context) => (await method.call(item.instance, value, context)) ?? [],
      );
      byTarget.set(target, completers);
    }
    return byTarget;
  }

  private handlerOf(item: FoundMethod<unknown>) {
    return this.handlers.create(item.instance, item.methodName);
  }
}

function prototypeOf(wrapper: InstanceWrapper): Record<string, unknown> | undefined {
  const instance = wrapper.instance as object | undefined;
  if (instance !== undefined && instance !== null && typeof instance === 'object')
    return Object.getPrototypeOf(instance) as Record<string, unknown>;
  const metatype = wrapper.metatype as { prototype?: Record<string, unknown> } | undefined | null;
  return wrapper.inject === undefined || wrapper.inject === null ? metatype?.prototype : undefined;
}

function addFound(found: Found, role: McpMethodMetadata, where: Omit<FoundMethod<unknown>, 'options'>): void {
  switch (role.kind) {
    case 'tool':
      found.tools.push({ ...where, options: role.options });
      return;
    case 'resource':
      if ((role.options.uri === undefined) === (role.options.uriTemplate === undefined))
        throw new Error(messages.resourceTarget(where.source));
      found.resources.push({ ...where, options: role.options });
      return;
    case 'prompt':
      found.prompts.push({ ...where, options: role.options });
      return;
    case 'completion':
      found.completions.push({ ...where, options: role.options });
  }
}

function assertUnique<T extends { source: string }>(
  kind: string,
  items: T[],
  keyOf: (item: T) => string,
): void {
  const first = new Map<string, string>();
  for (const item of items) {
    const key = keyOf(item);
    const earlier = first.get(key);
    if (earlier !== undefined) throw new Error(messages.duplicate(kind, key, earlier, item.source));
    first.set(key, item.source);
  }
}
