import type { Transport } from '@modelcontextprotocol/client';

/**
 * Where a task handle travels inside the SDK: the SDK `Client` only passes results whose
 * `resultType` is `complete` (or `input_required`), so a `CreateTaskResult`
 * (`resultType: "task"`, tasks extension) is handed to it as an empty complete tool result
 * carrying the handle under this `_meta` key, and `McpClientTasks` reads it back out.
 */
export const TASK_HANDLE_META_KEY = 'dev.nest-mcp/task-handle';

/**
 * Wraps a client transport so task handles reach the SDK in the form above. Only clients that
 * declared the extension on a request get a `CreateTaskResult` (spec), and only
 * `McpClientTasks` declares it, so no other call sees the rewrite.
 */
export function acceptTaskHandles<T extends Transport>(transport: T): T {
  let handler: Transport['onmessage'];
  const deliver: NonNullable<Transport['onmessage']> = (message, extra) =>
    handler?.(rewriteTaskHandle(message) as typeof message, extra);
  Object.defineProperty(transport, 'onmessage', {
    configurable: true,
    enumerable: true,
    get: () => (handler === undefined ? undefined : deliver),
    set: (next: Transport['onmessage']) => {
      handler = next;
    },
  });
  return transport;
}

function rewriteTaskHandle(message: unknown): unknown {
  if (message === null || typeof message !== 'object' || !('result' in message)) return message;
  const result = (message as { result: unknown }).result;
  if (
    result === null ||
    typeof result !== 'object' ||
    (result as Record<string, unknown>)['resultType'] !== 'task'
  ) {
    return message;
  }
  const { resultType: _task, _meta, ...handle } = result as Record<string, unknown>;
  return {
    ...message,
    result: {
      resultType: 'complete',
      content: [],
      _meta: { ...(_meta as Record<string, unknown> | undefined), [TASK_HANDLE_META_KEY]: handle },
    },
  };
}
