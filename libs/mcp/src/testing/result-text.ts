/**
 * The text of a tool result or prompt message list, for assertions: the `text` of every text
 * content block, joined with newlines (other blocks are skipped). `''` when there is none.
 */
export function textOf(result: { content?: unknown } | { messages?: unknown }): string {
  const blocks =
    'content' in result && Array.isArray(result.content)
      ? result.content
      : 'messages' in result && Array.isArray(result.messages)
        ? result.messages.map((message: { content?: unknown }) => message.content)
        : [];
  return blocks
    .filter((block): block is { type: 'text'; text: string } => block?.type === 'text')
    .map((block) => block.text)
    .join('\n');
}
