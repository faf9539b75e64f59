import type {
  Implementation,
  Prompt,
  Resource,
  ResourceTemplateType,
  ServerEventBus,
  Tool,
} from '@modelcontextprotocol/server';
import type { Logger } from '@nestjs/common';
import type { McpScopePolicy } from '../auth/scope-policy.js';
import type {
  McpCatalog,
  PromptEntry,
  ResourceEntry,
  ResourceTemplateEntry,
  ToolEntry,
} from '../registry/registry-entries.js';
import type { DefinitionListCache } from './definition-list-cache.js';
import type { InputStateCodec } from './input-required.js';
import type { McpProtocolEra } from './mcp-context.js';
import type { McpRequestObserver } from './request-observer.js';
import type { MethodHandler } from './methods/method-handler.js';
import type { ServerCapabilitiesCache } from './server-capabilities.js';
import type { McpTaskRunner } from '../tasks/task-runner.service.js';

/**
 * What every connection shares, built once by `McpProtocolService`. Connections and method
 * handlers read it; nothing in it is per request.
 */
export interface ProtocolEngine {
  readonly catalog: McpCatalog;
  readonly serverInfo: Implementation;
  readonly instructions: string | undefined;
  readonly pageSize: number;
  readonly bus: ServerEventBus;
  readonly logger: Logger;
  readonly inputStateCodec: InputStateCodec;
  readonly capabilities: ServerCapabilitiesCache;
  readonly lists: {
    readonly tools: DefinitionListCache<ToolEntry, Tool>;
    readonly resources: DefinitionListCache<ResourceEntry, Resource>;
    readonly templates: DefinitionListCache<ResourceTemplateEntry, ResourceTemplateType>;
    readonly prompts: DefinitionListCache<PromptEntry, Prompt>;
  };
  /** Runs task-capable tools as tasks and serves `tasks/*` (tasks extension). */
  readonly tasks: McpTaskRunner;
  /** Told how long each request took and how it ended; unset, nothing is measured. */
  readonly requestObserver?: McpRequestObserver;
  /** Per-primitive OAuth scopes, set when the module is a protected resource (`auth`). */
  readonly scopePolicy?: McpScopePolicy;
  /** The handler of `method` in `era`, or undefined: the method does not exist there (-32601). */
  methodFor(era: McpProtocolEra, method: string): MethodHandler | undefined;
}
