import type {
  CallToolResult,
  CompleteResult,
  ContentBlock,
  GetPromptResult,
  Prompt,
  ReadResourceResult,
  Resource,
  ResourceTemplateType,
  Tool,
} from '@modelcontextprotocol/client';

// The default (human) output of each command: what someone at a terminal wants to read. Scripts
// use --json, which prints the protocol objects unchanged.

export function toolListText(tools: readonly Tool[]): string {
  return listText(tools, 'no tools', (tool) => {
    const schema = tool.inputSchema as { properties?: Record<string, unknown>; required?: string[] };
    const args = Object.keys(schema.properties ?? {}).map((name) =>
      schema.required?.includes(name) === true ? name : `${name}?`,
    );
    return entry(`${tool.name}(${args.join(', ')})`, tool.title, tool.description);
  });
}

export function toolResultText(result: CallToolResult): string {
  const blocks = result.content.map(contentText);
  if (!blocks.some((block) => block !== '') && result.structuredContent !== undefined)
    return JSON.stringify(result.structuredContent, null, 2);
  return (result.isError === true ? ['error:', ...blocks] : blocks).join('\n');
}

export function resourceListText(resources: readonly Resource[]): string {
  return listText(resources, 'no resources', (resource) =>
    entry(
      `${resource.uri}${resource.mimeType === undefined ? '' : ` (${resource.mimeType})`}`,
      resource.name,
      resource.description,
    ),
  );
}

export function templateListText(templates: readonly ResourceTemplateType[]): string {
  return listText(templates, 'no resource templates', (template) =>
    entry(template.uriTemplate, template.name, template.description),
  );
}

export function readResultText(result: ReadResourceResult): string {
  const single = result.contents.length === 1;
  return result.contents
    .map((contents) => {
      const body =
        'text' in contents && typeof contents.text === 'string'
          ? contents.text
          : `[binary ${contents.mimeType ?? 'contents'}, ${base64Bytes(String((contents as { blob?: unknown }).blob ?? ''))} bytes]`;
      return single
        ? body
        : `--- ${contents.uri}${contents.mimeType === undefined ? '' : ` (${contents.mimeType})`}\n${body}`;
    })
    .join('\n');
}

export function promptListText(prompts: readonly Prompt[]): string {
  return listText(prompts, 'no prompts', (prompt) => {
    const args = (prompt.arguments ?? []).map((argument) =>
      argument.required === true ? argument.name : `${argument.name}?`,
    );
    return entry(`${prompt.name}(${args.join(', ')})`, prompt.title, prompt.description);
  });
}

export function promptText(result: GetPromptResult): string {
  const messages = result.messages.map((message) => `[${message.role}] ${contentText(message.content)}`);
  return (result.description === undefined ? messages : [result.description, '', ...messages]).join('\n');
}

export function completionText(completion: CompleteResult['completion']): string {
  const lines = [...completion.values];
  if (completion.values.length === 0) lines.push('(no completions)');
  if (completion.hasMore === true || (completion.total ?? 0) > completion.values.length)
    lines.push(`(more: ${completion.total ?? 'unknown'} in total)`);
  return lines.join('\n');
}

function contentText(block: ContentBlock): string {
  switch (block.type) {
    case 'text':
      return block.text;
    case 'resource_link':
      return `[link ${block.uri}]`;
    case 'resource':
      return 'text' in block.resource && typeof block.resource.text === 'string'
        ? block.resource.text
        : `[resource ${block.resource.uri}]`;
    default:
      return `[${block.type} ${(block as { mimeType?: string }).mimeType ?? ''}]`.replace(' ]', ']');
  }
}

function listText<T>(items: readonly T[], none: string, line: (item: T) => string): string {
  return items.length === 0 ? `(${none})` : items.map(line).join('\n');
}

/** `head  title: description`, leaving out what is missing. */
function entry(head: string, title: string | undefined, description: string | undefined): string {
  const about = [title, description].filter((part) => part !== undefined && part !== '').join(': ');
  return about === '' ? head : `${head}  ${about}`;
}

function base64Bytes(blob: string): number {
  return Buffer.byteLength(blob, 'base64');
}
