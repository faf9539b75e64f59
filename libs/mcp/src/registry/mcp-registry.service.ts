import type { ServerEvent, ServerEventBus } from '@modelcontextprotocol/server';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { MCP_CHANGE_BUS } from '../mcp.constants.js';
import { publishLocally } from '../state/change-bus.js';
import type {
  McpCatalog,
  PromptEntry,
  ResourceEntry,
  ResourceTemplateEntry,
  ToolEntry,
} from './registry-entries.js';
import { RegistryList } from './registry-list.js';
import type { McpResourceArgs } from '../decorators/decorator-options.js';
import type { McpHandlerFunction } from '../entries/mcp-handler-function.js';
import { buildPromptEntry, type McpPromptDefinition } from '../entries/prompt-entry.builder.js';
import {
  buildResourceEntry,
  buildResourceTemplateEntry,
  type McpResourceDefinition,
  type McpResourceTemplateDefinition,
} from '../entries/resource-entry.builder.js';
import { buildToolEntry, type McpToolDefinition } from '../entries/tool-entry.builder.js';

/**
 * The tools, resources, resource templates and prompts this server offers: filled by the
 * explorer at start-up from decorated methods, and changed at runtime through `add*` /
 * `remove*`. Every change publishes the list-changed event on the change bus, which the
 * protocol layer turns into `notifications/*\/list_changed` (2025 sessions) or delivers to
 * open `subscriptions/listen` requests (2026 era). Registration before the app is bootstrapped
 * publishes nothing: no client can have seen the lists yet, and with a bus shared by several
 * instances each start would otherwise tell every open listener of the fleet once per entry.
 */
@Injectable()
export class McpRegistry implements McpCatalog, OnApplicationBootstrap {
  private readonly tools = new RegistryList<ToolEntry>('tool');
  private readonly resources = new RegistryList<ResourceEntry>('resource');
  private readonly templates = new RegistryList<ResourceTemplateEntry>('resource template');
  private readonly prompts = new RegistryList<PromptEntry>('prompt');

  /** `silent` until bootstrap; `local` while a fleet change is applied (see `withLocalEvents`). */
  private events: 'silent' | 'fleet' | 'local' = 'silent';

  constructor(@Inject(MCP_CHANGE_BUS) private readonly bus: ServerEventBus) {}

  onApplicationBootstrap(): void {
    this.events = 'fleet';
  }

  /**
   * Runs `change` (synchronous registry calls) telling only this instance's listeners, as
   * `McpFleetChanges` does when every instance applies the same change itself.
   */
  withLocalEvents<T>(change: () => T): T {
    const previous = this.events;
    if (previous === 'fleet') this.events = 'local';
    try {
      return change();
    } finally {
      this.events = previous;
    }
  }

  // ---- runtime registration (public API) ------------------------------------------------
  // Built by the same builders the explorer uses. Handlers added here are called as they
  // are: the Nest pipeline (guards, pipes, ...) wraps decorated methods only.

  /**
   * Adds a tool; throws when one of that name exists. Emits tools list_changed.
   *
   * @example registry.addTool({ name: 'echo', input: z.object({ text: z.string() }) }, ({ text }) => text)
   */
  addTool(options: McpToolDefinition, handler: McpHandlerFunction): ToolEntry;
  /** Adds a prebuilt entry (what the builders make), e.g. with a hand-written JSON Schema. */
  addTool(entry: ToolEntry): ToolEntry;
  addTool(options: McpToolDefinition | ToolEntry, handler?: McpHandlerFunction): ToolEntry {
    const entry =
      handler === undefined ? (options as ToolEntry) : buildToolEntry(options as McpToolDefinition, handler);
    this.addToolEntry(entry);
    return entry;
  }

  /** Adds a prebuilt tool entry (what `addTool` and the explorer build). */
  addToolEntry(entry: ToolEntry): void {
    this.tools.add(entry.name, entry);
    this.publish({ kind: 'tools_list_changed' });
  }

  /** Removes a tool; false when there was none. Emits tools list_changed when removed. */
  removeTool(name: string): boolean {
    return this.tools.remove(name) && this.publish({ kind: 'tools_list_changed' });
  }

  /**
   * Adds a fixed resource; throws when its URI is taken. Emits resources list_changed.
   *
   * @example registry.addResource({ uri: 'app://status', name: 'status' }, () => 'ok')
   */
  addResource(options: McpResourceDefinition, handler: McpHandlerFunction<McpResourceArgs>): ResourceEntry;
  addResource(entry: ResourceEntry): ResourceEntry;
  addResource(
    options: McpResourceDefinition | ResourceEntry,
    handler?: McpHandlerFunction<McpResourceArgs>,
  ): ResourceEntry {
    const entry =
      handler === undefined
        ? (options as ResourceEntry)
        : buildResourceEntry(options as McpResourceDefinition, handler);
    this.addResourceEntry(entry);
    return entry;
  }

  addResourceEntry(entry: ResourceEntry): void {
    this.resources.add(entry.uri, entry);
    this.publish({ kind: 'resources_list_changed' });
  }

  removeResource(uri: string): boolean {
    return this.resources.remove(uri) && this.publish({ kind: 'resources_list_changed' });
  }

  /**
   * Adds a resource template (completers in `options.completions`). Emits resources list_changed.
   *
   * @example registry.addResourceTemplate({ uriTemplate: 'app://users/{id}', name: 'user' }, ({ variables }) => ...)
   */
  addResourceTemplate(
    options: McpResourceTemplateDefinition,
    handler: McpHandlerFunction<McpResourceArgs>,
  ): ResourceTemplateEntry;
  addResourceTemplate(entry: ResourceTemplateEntry): ResourceTemplateEntry;
  addResourceTemplate(
    options: McpResourceTemplateDefinition | ResourceTemplateEntry,
    handler?: McpHandlerFunction<McpResourceArgs>,
  ): ResourceTemplateEntry {
    const entry =
      handler === undefined
        ? (options as ResourceTemplateEntry)
        : buildResourceTemplateEntry(options as McpResourceTemplateDefinition, handler);
    this.addResourceTemplateEntry(entry);
    return entry;
  }

  addResourceTemplateEntry(entry: ResourceTemplateEntry): void {
    this.templates.add(entry.uriTemplate, entry);
    this.publish({ kind: 'resources_list_changed' });
  }

  removeResourceTemplate(uriTemplate: string): boolean {
    return this.templates.remove(uriTemplate) && this.publish({ kind: 'resources_list_changed' });
  }

  /**
   * Adds a prompt (completers in `options.completions`). Emits prompts list_changed.
   *
   * @example registry.addPrompt({ name: 'greet', arguments: z.object({ name: z.string() }) }, ({ name }) => `Greet ${name}`)
   */
  addPrompt(options: McpPromptDefinition, handler: McpHandlerFunction): PromptEntry;
  addPrompt(entry: PromptEntry): PromptEntry;
  addPrompt(options: McpPromptDefinition | PromptEntry, handler?: McpHandlerFunction): PromptEntry {
    const entry =
      handler === undefined
        ? (options as PromptEntry)
        : buildPromptEntry(options as McpPromptDefinition, handler);
    this.addPromptEntry(entry);
    return entry;
  }

  addPromptEntry(entry: PromptEntry): void {
    this.prompts.add(entry.name, entry);
    this.publish({ kind: 'prompts_list_changed' });
  }

  removePrompt(name: string): boolean {
    return this.prompts.remove(name) && this.publish({ kind: 'prompts_list_changed' });
  }

  /**
   * Tells subscribers that the content behind `uri` changed: 2025-era sessions subscribed
   * with `resources/subscribe` get `notifications/resources/updated`, and so do 2026-era
   * listens whose filter names the URI.
   */
  notifyResourceUpdated(uri: string): void {
    this.publish({ kind: 'resource_updated', uri });
  }

  // ---- McpCatalog (read side, used per request) --------------------------------------------

  getTool(name: string): ToolEntry | undefined {
    return this.tools.get(name);
  }
  listTools(): readonly ToolEntry[] {
    return this.tools.list();
  }
  getResource(uri: string): ResourceEntry | undefined {
    return this.resources.get(uri);
  }
  listResources(): readonly ResourceEntry[] {
    return this.resources.list();
  }
  matchTemplate(
    uri: string,
  ): { entry: ResourceTemplateEntry; variables: Record<string, string | string[]> } | undefined {
    for (const entry of this.templates.list()) {
      const variables = entry.match(uri);
      if (variables !== undefined) return { entry, variables };
    }
    return undefined;
  }
  getTemplate(uriTemplate: string): ResourceTemplateEntry | undefined {
    return this.templates.get(uriTemplate);
  }
  listTemplates(): readonly ResourceTemplateEntry[] {
    return this.templates.list();
  }
  getPrompt(name: string): PromptEntry | undefined {
    return this.prompts.get(name);
  }
  listPrompts(): readonly PromptEntry[] {
    return this.prompts.list();
  }

  private publish(event: ServerEvent): true {
    if (this.events === 'fleet') this.bus.publish(event);
    else if (this.events === 'local') publishLocally(this.bus, event);
    return true;
  }
}
