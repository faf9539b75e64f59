import type { ServerEvent, ServerEventBus } from '@modelcontextprotocol/server';
import { Inject, Injectable } from '@nestjs/common';
import { MCP_CHANGE_BUS } from '../mcp.constants.js';
import type {
  McpCatalog,
  PromptEntry,
  ResourceEntry,
  ResourceTemplateEntry,
  ToolEntry,
} from './registry-entries.js';
import { RegistryList } from './registry-list.js';

/**
 * The tools, resources, resource templates and prompts this server offers: filled by the
 * explorer at start-up from decorated methods, and changed at runtime through `add*` /
 * `remove*`. Every change publishes the list-changed event on the change bus, which the
 * protocol layer turns into `notifications/*\/list_changed` (2025 sessions) or delivers to
 * open `subscriptions/listen` requests (2026 era).
 */
@Injectable()
export class McpRegistry implements McpCatalog {
  private readonly tools = new RegistryList<ToolEntry>('tool');
  private readonly resources = new RegistryList<ResourceEntry>('resource');
  private readonly templates = new RegistryList<ResourceTemplateEntry>('resource template');
  private readonly prompts = new RegistryList<PromptEntry>('prompt');

  constructor(@Inject(MCP_CHANGE_BUS) private readonly bus: ServerEventBus) {}

  // ---- runtime registration (public API) ------------------------------------------------

  /** Adds a tool; throws when one of that name exists. Emits tools list_changed. */
  addTool(entry: ToolEntry): void {
    this.tools.add(entry.name, entry);
    this.publish({ kind: 'tools_list_changed' });
  }

  /** Removes a tool; false when there was none. Emits tools list_changed when removed. */
  removeTool(name: string): boolean {
    return this.tools.remove(name) && this.publish({ kind: 'tools_list_changed' });
  }

  addResource(entry: ResourceEntry): void {
    this.resources.add(entry.uri, entry);
    this.publish({ kind: 'resources_list_changed' });
  }

  removeResource(uri: string): boolean {
    return this.resources.remove(uri) && this.publish({ kind: 'resources_list_changed' });
  }

  addResourceTemplate(entry: ResourceTemplateEntry): void {
    this.templates.add(entry.uriTemplate, entry);
    this.publish({ kind: 'resources_list_changed' });
  }

  removeResourceTemplate(uriTemplate: string): boolean {
    return this.templates.remove(uriTemplate) && this.publish({ kind: 'resources_list_changed' });
  }

  addPrompt(entry: PromptEntry): void {
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
    this.bus.publish(event);
    return true;
  }
}
