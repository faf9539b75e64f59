import type { PipeTransform, Type } from '@nestjs/common';
import { McpParamType } from './mcp-metadata.constants.js';
import { createMcpParamDecorator } from './mcp-param-decorator.factory.js';

type ParamPipe = Type<PipeTransform> | PipeTransform;

/**
 * Injects the handler's arguments: for a tool or prompt the validated arguments (a DTO
 * instance when the schema is a class), for a resource `{ uri, variables }`. With a
 * property name, only that property. Pipes run on the value as they do for `@Body()`.
 *
 * @example `create(@McpArgs() input: CreateNoteDto)` or `get(@McpArgs('id', ParseIntPipe) id: number)`
 */
export function McpArgs(...pipes: ParamPipe[]): ParameterDecorator;
export function McpArgs(property: string, ...pipes: ParamPipe[]): ParameterDecorator;
export function McpArgs(propertyOrPipe?: string | ParamPipe, ...pipes: ParamPipe[]): ParameterDecorator {
  return typeof propertyOrPipe === 'string'
    ? createMcpParamDecorator(McpParamType.ARGS, propertyOrPipe, pipes)
    : createMcpParamDecorator(
        McpParamType.ARGS,
        undefined,
        propertyOrPipe === undefined ? pipes : [propertyOrPipe, ...pipes],
      );
}
