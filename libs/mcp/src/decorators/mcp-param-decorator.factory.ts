import type { PipeTransform, Type } from '@nestjs/common';
import { MCP_PARAM_ARGS_METADATA, type McpParamType } from './mcp-metadata.constants.js';

type ParamPipe = Type<PipeTransform> | PipeTransform;

/**
 * Builds a parameter decorator that records `{ index, data, pipes }` under the MCP
 * parameter key, the shape `ExternalContextCreator` reads (as @nestjs/microservices does
 * for its own parameters).
 */
export function createMcpParamDecorator(
  type: McpParamType,
  data?: string,
  pipes: ParamPipe[] = [],
): ParameterDecorator {
  return (target, key, index) => {
    if (key === undefined) throw new Error('MCP parameter decorators apply to method parameters only');
    const existing: Record<string, unknown> =
      Reflect.getMetadata(MCP_PARAM_ARGS_METADATA, target.constructor, key) ?? {};
    Reflect.defineMetadata(
      MCP_PARAM_ARGS_METADATA,
      { ...existing, [`${type}:${index}`]: { index, data, pipes } },
      target.constructor,
      key,
    );
  };
}
