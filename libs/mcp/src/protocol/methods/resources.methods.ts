import type { ListResourcesResult, ListResourceTemplatesResult, Result } from '@modelcontextprotocol/server';
import { HttpException, HttpStatus } from '@nestjs/common';
import { wireErrorOfHttpException } from '../../errors/failure-mapping.js';
import { McpWireError } from '../../errors/wire-errors.js';
import { pageOf } from '../pagination.js';
import { visibleDefinitions } from '../visible-definitions.js';
import type { RequestCall } from '../request-call.js';
import { withInputRound } from './input-round.js';
import { requireString } from './request-params.js';

export function listResources(call: RequestCall): ListResourcesResult {
  const { catalog, lists, pageSize } = call.engine;
  const { page, nextCursor } = pageOf(
    visibleDefinitions(call, lists.resources, catalog.listResources(), (entry) => entry.definition),
    call.params['cursor'],
    pageSize,
  );
  const resources = page as ListResourcesResult['resources'];
  return nextCursor === undefined ? { resources } : { resources, nextCursor };
}

export function listResourceTemplates(call: RequestCall): ListResourceTemplatesResult {
  const { catalog, lists, pageSize } = call.engine;
  const { page, nextCursor } = pageOf(
    visibleDefinitions(call, lists.templates, catalog.listTemplates(), (entry) => entry.definition),
    call.params['cursor'],
    pageSize,
  );
  const resourceTemplates = page as unknown as ListResourceTemplatesResult['resourceTemplates'];
  return nextCursor === undefined ? { resourceTemplates } : { resourceTemplates, nextCursor };
}

/**
 * Fixed resources first, then templates. A miss, or a handler's `NotFoundException`, is
 * -32602 with `data: { uri }` on both eras (the 2026-07-28 MUST, and what the SDK emits);
 * so is a template match whose variables do not decode. Other `HttpException`s map as in
 * `wireErrorOfHttpException`.
 */
export function readResource(call: RequestCall): Promise<Result> {
  const uri = requireString(call.params, 'uri', 'resources/read');
  const { catalog } = call.engine;
  const entry = catalog.getResource(uri);
  const matched = entry === undefined ? catalog.matchTemplate(uri) : undefined;
  if (entry === undefined && matched === undefined) throw resourceNotFound(uri);
  return withInputRound(call, uri, async () => {
    try {
      return entry !== undefined
        ? await entry.read(uri, call.context)
        : await matched!.entry.read(uri, matched!.variables, call.context);
    } catch (error) {
      if (!(error instanceof HttpException)) throw error;
      throw error.getStatus() === HttpStatus.NOT_FOUND
        ? resourceNotFound(uri)
        : wireErrorOfHttpException(error, `resource ${uri}`);
    }
  });
}

export function subscribeResource(call: RequestCall): Result {
  call.connection.subscribeResource(requireString(call.params, 'uri', 'resources/subscribe'));
  return {};
}

export function unsubscribeResource(call: RequestCall): Result {
  call.connection.unsubscribeResource(requireString(call.params, 'uri', 'resources/unsubscribe'));
  return {};
}

function resourceNotFound(uri: string): McpWireError {
  return new McpWireError('resource-not-found', `Resource not found: ${uri}`, { uri });
}
