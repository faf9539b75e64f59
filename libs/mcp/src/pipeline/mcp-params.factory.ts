import type { ParamData } from '@nestjs/common';
import type { ParamsFactory } from '@nestjs/core';
import { McpParamType } from '../decorators/mcp-metadata.constants.js';

/** Resolves `@McpArgs()` / `@McpCtx()` from the handler's call arguments `[args, mcpContext]`. */
export class McpParamsFactory implements ParamsFactory {
  exchangeKeyForValue(type: number, data: ParamData, [args, context]: [unknown, unknown]): unknown {
    switch (type as McpParamType) {
      case McpParamType.ARGS:
        return data === undefined || args === null || typeof args !== 'object'
          ? args
          : (args as Record<string, unknown>)[String(data)];
      case McpParamType.CONTEXT:
        return context;
      default:
        return undefined;
    }
  }
}
