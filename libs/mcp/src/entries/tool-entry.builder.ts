import type { CallToolResult, Tool } from '@modelcontextprotocol/server';
import type { McpToolOptions } from '../decorators/decorator-options.js';
import type { ArgumentChecker, ToolEntry } from '../registry/registry-entries.js';
import { type CompiledSchema, compileSchema, type SchemaCheck } from '../schema/compiled-schema.js';
import { withHeaderAnnotations } from '../schema/header-annotations.js';
import { headerParamsOf } from '../schema/header-params.js';
import { toolTaskSettings } from '../tasks/tasks.options.js';
import { argumentChecker } from './argument-checker.js';
import type { McpHandlerFunction } from './mcp-handler-function.js';
import { isCallToolResult, textResult, toPlainData } from './tool-result.js';

/** Tool options with the name settled (decorators default it to the method name). */
export type McpToolDefinition = McpToolOptions & { name: string };

const NO_ARGUMENTS_SCHEMA = Object.freeze({ type: 'object', properties: {} });

/**
 * Builds a tool entry: schemas compiled and the wire definition frozen now, so a call only
 * validates, runs the handler and shapes its result.
 */
export function buildToolEntry(options: McpToolDefinition, handler: McpHandlerFunction): ToolEntry {
  const { name } = options;
  const input = options.input === undefined ? undefined : compileSchema(options.input, 'input');
  const output = options.output === undefined ? undefined : compileSchema(options.output, 'output');
  const label = `Tool ${name}`;
  const inputSchema =
    options.headers === undefined
      ? (input?.jsonSchema ?? NO_ARGUMENTS_SCHEMA)
      : withHeaderAnnotations(input?.jsonSchema ?? NO_ARGUMENTS_SCHEMA, options.headers, label);
  const headerParams = headerParamsOf(inputSchema, label);
  const task = toolTaskSettings(options.task, label);
  const definition = Object.freeze({
    name,
    ...(options.title !== undefined && { title: options.title }),
    ...(options.description !== undefined && { description: options.description }),
    inputSchema,
    ...(output !== undefined && { outputSchema: output.jsonSchema }),
    ...(options.annotations !== undefined && { annotations: options.annotations }),
    ...(options.icons !== undefined && { icons: options.icons }),
    ...(options._meta !== undefined && { _meta: options._meta }),
  }) as Tool;
  return {
    name,
    definition,
    ...(headerParams !== undefined && { headerParams }),
    ...(options.scopes !== undefined && { scopes: Object.freeze([...options.scopes]) }),
    ...(task !== undefined && { task }),
    checkArguments:
      input === undefined ? acceptAny : argumentChecker(input, `Invalid arguments for tool ${name}: `),
    invoke: async (args, context) => toToolResult(await handler(args, context), output, name),
  };
}

const acceptAny: ArgumentChecker = (args) => ({ ok: true, value: (args ?? {}) as Record<string, unknown> });

/**
 * String: one text block. A `CallToolResult`: as is. Anything else: JSON text, and with an
 * output schema also `structuredContent`, checked against the schema first: a mismatch is a
 * server bug, so it is logged and the client gets an internal error. Synchronous unless the
 * output schema checks asynchronously (a promise returned from `then` costs extra hops).
 */
function toToolResult(
  value: unknown,
  output: CompiledSchema | undefined,
  name: string,
): CallToolResult | Promise<CallToolResult> {
  if (isCallToolResult(value)) return value;
  if (typeof value === 'string') return textResult(value);
  if (value === undefined || value === null) return { content: [] };
  const structured = toPlainData(value);
  if (output === undefined) return textResult(JSON.stringify(structured));
  const check = output.check(structured);
  return check instanceof Promise
    ? check.then((settled) => structuredResult(structured, settled, name))
    : structuredResult(structured, check, name);
}

function structuredResult(structured: unknown, check: SchemaCheck, name: string): CallToolResult {
  if (!check.ok)
    throw new Error(`Tool ${name} returned a result that does not match its output schema: ${check.message}`);
  return {
    content: [{ type: 'text', text: JSON.stringify(structured) }],
    structuredContent: structured as Record<string, unknown>,
  };
}
