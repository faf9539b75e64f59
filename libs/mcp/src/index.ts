export * from './mcp.module.js';
export * from './mcp.options.js';
export * from './mcp.constants.js';
export * from './decorators/decorator-options.js';
export * from './protocol/mcp-context.js';
export * from './registry/registry-entries.js';
export * from './transports/transport.interface.js';
export * from './protocol/mcp-connection.interface.js';
