import type { ExecutionContext } from '@nestjs/common';
import { MCP_CONTEXT_TYPE } from '../mcp.constants.js';
import type { McpContext } from '../protocol/mcp-context.js';

/**
 * The MCP view of an `ExecutionContext` (`getType() === 'mcp'`), for guards, interceptors
 * and filters that serve MCP handlers.
 *
 * @example
 * ```ts
 * if (context.getType<string>() === 'mcp') {
 *   const { principal } = McpExecutionContext.create(context).getContext();
 * }
 * ```
 */
export class McpExecutionContext {
  private constructor(private readonly host: ExecutionContext) {}

  static create(context: ExecutionContext): McpExecutionContext {
    if (context.getType<string>() !== MCP_CONTEXT_TYPE)
      throw new Error(`McpExecutionContext needs an 'mcp' execution context, got '${context.getType()}'`);
    return new McpExecutionContext(context);
  }

  /** The handler's arguments: validated tool/prompt arguments, or `{ uri, variables }` for a resource. */
  getArgs<T = Record<string, unknown>>(): T {
    return this.host.getArgByIndex<T>(0);
  }

  /** The request's `McpContext`: principal, raw request, signal, progress, logging, ... */
  getContext(): McpContext {
    return this.host.getArgByIndex<McpContext>(1);
  }

  getClass(): ReturnType<ExecutionContext['getClass']> {
    return this.host.getClass();
  }

  getHandler(): ReturnType<ExecutionContext['getHandler']> {
    return this.host.getHandler();
  }
}
