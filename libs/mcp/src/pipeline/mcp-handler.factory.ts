import { Injectable } from '@nestjs/common';
import { ExternalContextCreator } from '@nestjs/core';
import { MCP_PARAM_ARGS_METADATA } from '../decorators/mcp-metadata.constants.js';
import { rememberLoggedByNest } from '../errors/nest-logged-errors.js';
import { MCP_CONTEXT_TYPE } from '../mcp.constants.js';
import type { McpContext } from '../protocol/mcp-context.js';
import { McpParamsFactory } from './mcp-params.factory.js';

/** A handler ready to call: the Nest pipeline already wrapped around the user's method. */
export type McpHandler = (args: unknown, context: McpContext) => Promise<unknown>;

/**
 * Wraps a decorated method in the Nest pipeline, once, at start-up: guards, interceptors,
 * pipes (global, class, method and parameter) and exception filters apply to it as to a
 * controller route, with an execution context of type `'mcp'` whose args are
 * `[args, mcpContext]`. This is what @nestjs/microservices and @nestjs/graphql do for
 * their own handlers.
 */
@Injectable()
export class McpHandlerFactory {
  private readonly paramsFactory = new McpParamsFactory();

  constructor(private readonly contextCreator: ExternalContextCreator) {}

  create(instance: object, methodName: string): McpHandler {
    const callback = (instance as Record<string, (...args: unknown[]) => unknown>)[methodName]!;
    const handler = this.contextCreator.create(
      instance,
      callback,
      methodName,
      MCP_PARAM_ARGS_METADATA,
      this.paramsFactory,
      undefined,
      undefined,
      { guards: true, interceptors: true, filters: true },
      MCP_CONTEXT_TYPE,
    );
    // Nest's handler is always async (its error proxy and target are async functions), so
    // chaining on its promise is enough and saves the wrapper's own async frame.
    return (args, context) => handler(args, context).then(undefined, rethrowLoggedByNest);
  }
}

function rethrowLoggedByNest(error: unknown): never {
  rememberLoggedByNest(error);
  throw error;
}
