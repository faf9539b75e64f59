import { McpWireError } from '../errors/wire-errors.js';
import type { McpCatalog } from '../registry/registry-entries.js';
import type { McpAuthError } from './auth.errors.js';
import { checkScopes, holdsScopes } from './scope-check.js';

/** What a request touches and the scopes that takes. */
export interface ScopeRequirement {
  readonly scopes: readonly string[];
  /** `tool create_note`, for messages. */
  readonly what: string;
}

/**
 * Per-primitive scopes: which scopes a request needs (from the entry it names: `@McpScopes`,
 * else `auth.defaultScopes`) and what the lists may show a caller. Read by the HTTP transports
 * before dispatch (so they can answer 403 with a challenge) and by the protocol layer for every
 * transport (in band where no challenge is possible).
 */
export class McpScopePolicy {
  constructor(
    private readonly catalog: McpCatalog,
    private readonly defaultScopes: readonly string[],
    /** `auth.hideUnauthorized`: lists leave out what the caller may not use. */
    readonly hidesUnauthorized: boolean,
    /** The metadata document's URL, named in in-band refusals so a client can start the step-up. */
    private readonly resourceMetadataUrl: string,
  ) {}

  /**
   * For the protocol layer: throws the in-band form of a refusal, JSON-RPC -32010 with
   * `data: { error: "insufficient_scope", scope, resource_metadata }` (the fields of the HTTP
   * challenge, so a client handles both alike).
   */
  enforce(principal: unknown, method: string, params: Record<string, unknown> | undefined): void {
    const refusal = this.refusalOf(principal, method, params);
    if (refusal === undefined) return;
    throw new McpWireError('insufficient-scope', refusal.message, {
      error: 'insufficient_scope',
      scope: refusal.requiredScopes!.join(' '),
      resource_metadata: this.resourceMetadataUrl,
    });
  }

  /**
   * The scopes `method` with `params` needs, or undefined when it needs none or names nothing
   * known (the method itself then answers "not found"; no scope check reveals what exists).
   */
  requirementOf(method: string, params: Record<string, unknown> | undefined): ScopeRequirement | undefined {
    switch (method) {
      case 'tools/call': {
        const name = params?.['name'];
        const entry = typeof name === 'string' ? this.catalog.getTool(name) : undefined;
        return entry === undefined ? undefined : this.requirement(entry.scopes, `tool ${name as string}`);
      }
      case 'prompts/get':
        return this.promptRequirement(params?.['name']);
      case 'resources/read':
      case 'resources/subscribe':
      case 'resources/unsubscribe':
        return this.resourceRequirement(params?.['uri']);
      case 'completion/complete': {
        const ref = params?.['ref'] as { type?: unknown; name?: unknown; uri?: unknown } | undefined;
        if (ref?.type === 'ref/prompt') return this.promptRequirement(ref.name);
        if (ref?.type === 'ref/resource' && typeof ref.uri === 'string') {
          const template = this.catalog.getTemplate(ref.uri);
          return template === undefined
            ? undefined
            : this.requirement(template.scopes, `resource ${ref.uri}`);
        }
        return undefined;
      }
      default:
        return undefined;
    }
  }

  /** The refusal of `principal` for this request, or undefined when it may proceed. */
  refusalOf(
    principal: unknown,
    method: string,
    params: Record<string, unknown> | undefined,
  ): McpAuthError | undefined {
    const requirement = this.requirementOf(method, params);
    return requirement === undefined
      ? undefined
      : checkScopes(principal, requirement.scopes, requirement.what);
  }

  /** Whether a list shows `entry` to `principal`. */
  shows(principal: unknown, entry: { readonly scopes?: readonly string[] }): boolean {
    return !this.hidesUnauthorized || holdsScopes(principal, entry.scopes ?? this.defaultScopes);
  }

  private promptRequirement(name: unknown): ScopeRequirement | undefined {
    const entry = typeof name === 'string' ? this.catalog.getPrompt(name) : undefined;
    return entry === undefined ? undefined : this.requirement(entry.scopes, `prompt ${name as string}`);
  }

  private resourceRequirement(uri: unknown): ScopeRequirement | undefined {
    if (typeof uri !== 'string') return undefined;
    const fixed = this.catalog.getResource(uri);
    if (fixed !== undefined) return this.requirement(fixed.scopes, `resource ${uri}`);
    let template;
    try {
      template = this.catalog.matchTemplate(uri);
    } catch {
      // A match whose variables do not decode: resources/read answers it as invalid params.
      return undefined;
    }
    return template === undefined ? undefined : this.requirement(template.entry.scopes, `resource ${uri}`);
  }

  private requirement(scopes: readonly string[] | undefined, what: string): ScopeRequirement | undefined {
    const required = scopes ?? this.defaultScopes;
    return required.length === 0 ? undefined : { scopes: required, what };
  }
}
