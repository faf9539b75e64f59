/** DI tokens. Kept apart from the classes that use them so any folder can import them. */
export const MCP_EVENT_STORE = Symbol('MCP_EVENT_STORE');
export const MCP_CHANGE_BUS = Symbol('MCP_CHANGE_BUS');
/** The `state` option (`McpSharedState`), or null: one instance, nothing shared. */
export const MCP_SHARED_STATE = Symbol('MCP_SHARED_STATE');
export const MCP_CATALOG = Symbol('MCP_CATALOG');
/** The resolved options (defaults applied); inject this, not the raw module options. */
export const MCP_RESOLVED_OPTIONS = Symbol('MCP_RESOLVED_OPTIONS');

/** Execution-context type that guards and interceptors see for MCP handlers (`host.getType()`). */
export const MCP_CONTEXT_TYPE = 'mcp';
export const DEFAULT_MCP_ROUTE = '/mcp';
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
