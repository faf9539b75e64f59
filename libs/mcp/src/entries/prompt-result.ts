import type { GetPromptResult, PromptMessage } from '@modelcontextprotocol/server';

/**
 * A `GetPromptResult` (has `messages`): as is. A list: the messages (strings in it become
 * user text messages). A string: one user message.
 */
export function toGetPromptResult(
  value: unknown,
  name: string,
  description: string | undefined,
): GetPromptResult {
  if (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { messages?: unknown }).messages)
  )
    return value as GetPromptResult;
  const withDescription = (messages: PromptMessage[]): GetPromptResult =>
    description === undefined ? { messages } : { description, messages };
  if (typeof value === 'string') return withDescription([userText(value)]);
  if (Array.isArray(value))
    return withDescription(
      value.map((item) => (typeof item === 'string' ? userText(item) : (item as PromptMessage))),
    );
  throw new Error(`Prompt ${name} returned neither messages nor a string`);
}

function userText(text: string): PromptMessage {
  return { role: 'user', content: { type: 'text', text } };
}
