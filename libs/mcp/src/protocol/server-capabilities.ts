import type { ServerCapabilities } from '@modelcontextprotocol/server';
import type { McpCatalog } from '../registry/registry-entries.js';
import { TASKS_EXTENSION_ID } from '../tasks/task.types.js';

/**
 * The capabilities advertised in `initialize` and `server/discover`, derived from what the
 * catalog holds. Rebuilt only when one of the catalog's cached lists changed identity.
 */
export class ServerCapabilitiesCache {
  private sources: readonly unknown[] = [];
  private capabilities: ServerCapabilities = {};
  private modernCapabilities: ServerCapabilities = {};

  constructor(private readonly catalog: McpCatalog) {}

  get(): ServerCapabilities {
    const tools = this.catalog.listTools();
    const resources = this.catalog.listResources();
    const templates = this.catalog.listTemplates();
    const prompts = this.catalog.listPrompts();
    const s = this.sources;
    if (s[0] === tools && s[1] === resources && s[2] === templates && s[3] === prompts) {
      return this.capabilities;
    }
    this.sources = [tools, resources, templates, prompts];
    const hasResources = resources.length > 0 || templates.length > 0;
    this.capabilities = {
      logging: {},
      ...(prompts.length > 0 || templates.length > 0 ? { completions: {} } : {}),
      ...(prompts.length > 0 ? { prompts: { listChanged: true } } : {}),
      ...(hasResources ? { resources: { subscribe: true, listChanged: true } } : {}),
      ...(tools.length > 0 ? { tools: { listChanged: true } } : {}),
    };
    // The tasks extension lives in the 2026 era only (SEP-2663): `server/discover` names it
    // while a task-capable tool is registered; `initialize` never does.
    this.modernCapabilities = tools.some((tool) => tool.task !== undefined)
      ? { ...this.capabilities, extensions: { [TASKS_EXTENSION_ID]: {} } }
      : this.capabilities;
    return this.capabilities;
  }

  /** What `server/discover` advertises: `get()` plus the 2026-era extensions served. */
  modern(): ServerCapabilities {
    this.get();
    return this.modernCapabilities;
  }
}
