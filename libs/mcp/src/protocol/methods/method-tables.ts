import type { McpProtocolEra } from '../mcp-context.js';
import { complete } from './completion.methods.js';
import { discover } from './discover.methods.js';
import { initialize, ping } from './lifecycle.methods.js';
import { setLogLevel } from './logging.methods.js';
import type { MethodHandler } from './method-handler.js';
import { getPrompt, listPrompts } from './prompts.methods.js';
import {
  listResources,
  listResourceTemplates,
  readResource,
  subscribeResource,
  unsubscribeResource,
} from './resources.methods.js';
import { listen } from './subscriptions-listen.methods.js';
import { callTool, listTools } from './tools.methods.js';
import { cancelTask, getTask, updateTask } from '../../tasks/tasks.methods.js';

const BOTH_ERAS: ReadonlyArray<[string, MethodHandler]> = [
  ['tools/list', listTools],
  ['tools/call', callTool],
  ['resources/list', listResources],
  ['resources/templates/list', listResourceTemplates],
  ['resources/read', readResource],
  ['prompts/list', listPrompts],
  ['prompts/get', getPrompt],
  ['completion/complete', complete],
];

/**
 * The methods of each era. 2026-07-28 removed `initialize`, `ping`, `logging/setLevel`
 * and resource subscriptions (replaced by `server/discover`, per-request `_meta` and
 * `subscriptions/listen`); a method absent from its era's table is -32601.
 */
export function buildMethodTables(): Readonly<Record<McpProtocolEra, ReadonlyMap<string, MethodHandler>>> {
  return {
    legacy: new Map<string, MethodHandler>([
      ...BOTH_ERAS,
      ['initialize', initialize],
      ['ping', ping],
      ['logging/setLevel', setLogLevel],
      ['resources/subscribe', subscribeResource],
      ['resources/unsubscribe', unsubscribeResource],
    ]),
    modern: new Map<string, MethodHandler>([
      ...BOTH_ERAS,
      ['server/discover', discover],
      ['subscriptions/listen', listen],
      // The tasks extension (SEP-2663); its removed v1 methods tasks/result and tasks/list are -32601.
      ['tasks/get', getTask],
      ['tasks/update', updateTask],
      ['tasks/cancel', cancelTask],
    ]),
  };
}
