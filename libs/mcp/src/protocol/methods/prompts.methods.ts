import type { ListPromptsResult, Result } from '@modelcontextprotocol/server';
import { HttpException } from '@nestjs/common';
import { wireErrorOfHttpException } from '../../errors/failure-mapping.js';
import { McpWireError } from '../../errors/wire-errors.js';
import { pageOf } from '../pagination.js';
import { visibleDefinitions } from '../visible-definitions.js';
import type { RequestCall } from '../request-call.js';
import { withInputRound } from './input-round.js';
import { optionalObject, requireString } from './request-params.js';

export function listPrompts(call: RequestCall): ListPromptsResult {
  const { catalog, lists, pageSize } = call.engine;
  const { page, nextCursor } = pageOf(
    visibleDefinitions(call, lists.prompts, catalog.listPrompts(), (entry) => entry.definition),
    call.params['cursor'],
    pageSize,
  );
  const prompts = page as ListPromptsResult['prompts'];
  return nextCursor === undefined ? { prompts } : { prompts, nextCursor };
}

/**
 * Unknown prompt and arguments that fail the prompt's checks are -32602, as in the SDK; so
 * is a 400 from a pipe around the handler, with the pipe's messages.
 */
export function getPrompt(call: RequestCall): Promise<Result> {
  const name = requireString(call.params, 'name', 'prompts/get');
  const args = optionalObject(call.params, 'arguments', 'prompts/get') ?? {};
  const entry = call.engine.catalog.getPrompt(name);
  if (entry === undefined) throw new McpWireError('invalid-params', `Prompt ${name} not found`);
  return withInputRound(call, name, async () => {
    const check = await entry.checkArguments(args);
    if (!check.ok)
      throw new McpWireError('invalid-params', `Invalid arguments for prompt ${name}: ${check.message}`);
    try {
      return await entry.get(check.value, call.context);
    } catch (error) {
      throw error instanceof HttpException ? wireErrorOfHttpException(error, `prompt ${name}`) : error;
    }
  });
}
