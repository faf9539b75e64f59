import type { CompleteResult } from '@modelcontextprotocol/server';
import { McpWireError } from '../../errors/wire-errors.js';
import type { ArgumentCompleter } from '../../registry/registry-entries.js';
import type { RequestCall } from '../request-call.js';
import { optionalObject, requireObject, requireString } from './request-params.js';

/** The spec caps one completion answer at 100 values; `total` and `hasMore` tell the rest. */
const MAX_COMPLETION_VALUES = 100;
const NO_COMPLETIONS: CompleteResult = { completion: { values: [], hasMore: false } };

export async function complete(call: RequestCall): Promise<CompleteResult> {
  const method = 'completion/complete';
  const ref = requireObject(call.params, 'ref', method);
  const argument = requireObject(call.params, 'argument', method);
  const argumentName = requireString(argument, 'name', method);
  const value = requireString(argument, 'value', method);
  const context = optionalObject(call.params, 'context', method);
  const completer = findCompleter(call, ref, argumentName);
  if (completer === undefined) return NO_COMPLETIONS;
  const contextArguments = optionalObject(context ?? {}, 'arguments', method) as
    Record<string, string> | undefined;
  const suggestions = await completer(value, { arguments: contextArguments });
  return {
    completion: {
      values: suggestions.slice(0, MAX_COMPLETION_VALUES).map(String),
      total: suggestions.length,
      hasMore: suggestions.length > MAX_COMPLETION_VALUES,
    },
  };
}

function findCompleter(
  call: RequestCall,
  ref: Record<string, unknown>,
  argumentName: string,
): ArgumentCompleter | undefined {
  const { catalog } = call.engine;
  switch (ref['type']) {
    case 'ref/prompt': {
      const name = requireString(ref, 'name', 'completion/complete ref');
      const prompt = catalog.getPrompt(name);
      if (prompt === undefined) throw new McpWireError('invalid-params', `Prompt ${name} not found`);
      return prompt.completers.get(argumentName);
    }
    case 'ref/resource': {
      const uri = requireString(ref, 'uri', 'completion/complete ref');
      const template = catalog.getTemplate(uri);
      if (template !== undefined) return template.completers.get(argumentName);
      // Completing a fixed resource's URI is not an error in the spec: there is just nothing to offer.
      if (catalog.getResource(uri) !== undefined) return undefined;
      throw new McpWireError('invalid-params', `Resource template ${uri} not found`);
    }
    default:
      // Only a string is named back: String() of a client's value can be huge, or overflow the stack.
      throw new McpWireError(
        'invalid-params',
        typeof ref['type'] === 'string'
          ? `Invalid completion reference: ${ref['type'].slice(0, 100)}`
          : 'Invalid completion reference: ref.type must be ref/prompt or ref/resource',
      );
  }
}
