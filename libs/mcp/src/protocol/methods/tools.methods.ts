import type { CallToolResult, ListToolsResult, Result } from '@modelcontextprotocol/server';
import { toolErrorText } from '../../errors/failure-mapping.js';
import { McpWireError } from '../../errors/wire-errors.js';
import type { ArgumentCheck, ToolEntry } from '../../registry/registry-entries.js';
import { InputRequiredSignal } from '../input-required.js';
import { pageOf } from '../pagination.js';
import { visibleDefinitions } from '../visible-definitions.js';
import type { RequestCall } from '../request-call.js';
import { withInputRound } from './input-round.js';
import { optionalObject, requireString } from './request-params.js';
import { declaresTasks, missingTasksCapability } from '../../tasks/task-negotiation.js';

export function listTools(call: RequestCall): ListToolsResult {
  const { catalog, lists, pageSize } = call.engine;
  const { page, nextCursor } = pageOf(
    visibleDefinitions(call, lists.tools, catalog.listTools(), (entry) => entry.definition),
    call.params['cursor'],
    pageSize,
  );
  return nextCursor === undefined
    ? { tools: page as ListToolsResult['tools'] }
    : { tools: page as ListToolsResult['tools'], nextCursor };
}

/**
 * Unknown tool: -32602 (a protocol error). Arguments that fail the tool's schema and
 * failures while the tool runs: a tool error result (`isError: true`), as the spec
 * directs, so the model can read the message and correct itself.
 */
export function callTool(call: RequestCall): Promise<Result> {
  const name = requireString(call.params, 'name', 'tools/call');
  const args = optionalObject(call.params, 'arguments', 'tools/call') ?? {};
  const entry = call.engine.catalog.getTool(name);
  if (entry === undefined) throw new McpWireError('invalid-params', `Tool ${name} not found`);
  // Tasks extension: the server decides; a task needs the extension declared on this request.
  const asTask = entry.task !== undefined && declaresTasks(call);
  if (!asTask && entry.task?.support === 'required') throw missingTasksCapability(`tool ${name}`);
  return withInputRound(call, name, () => {
    // Most schemas check synchronously: no await (and no promise hop) unless this one did not.
    const check = entry.checkArguments(args);
    if (asTask) {
      return check instanceof Promise
        ? check.then((settled) => runToolTask(call, entry, settled))
        : runToolTask(call, entry, check);
    }
    return check instanceof Promise
      ? check.then((settled) => runTool(call, entry, settled))
      : runTool(call, entry, check);
  });
}

/** Arguments that fail the schema are answered at once; valid ones start the task. */
function runToolTask(call: RequestCall, entry: ToolEntry, check: ArgumentCheck): Promise<Result> {
  if (!check.ok) return Promise.resolve(toolError(check.message));
  return call.engine.tasks.runAsTask(call, entry, () => runTool(call, entry, check));
}

async function runTool(call: RequestCall, entry: ToolEntry, check: ArgumentCheck): Promise<CallToolResult> {
  if (!check.ok) return toolError(check.message);
  try {
    return await entry.invoke(check.value, call.context);
  } catch (error) {
    if (error instanceof McpWireError || error instanceof InputRequiredSignal) throw error;
    // Cancelled: the client gets no answer (or the task is already cancelled); no failure to log.
    if (call.wasAbortedBy(error)) return toolError(`Cancelled: ${reasonText(error)}`);
    return toolError(toolErrorText(error, call.engine.logger, entry.name));
  }
}

function toolError(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

function reasonText(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}
