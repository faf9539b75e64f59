/** User-facing messages of discovery, kept out of the explorer's logic. */
export const discoveryMessages = {
  notStatic: (provider: string, methods: string[]) =>
    `${provider} is request-scoped or transient (or depends on such a provider), so its MCP handlers ` +
    `(${methods.join(', ')}) cannot be served and are skipped. Move them to a singleton provider.`,
  duplicate: (kind: string, key: string, first: string, second: string) =>
    `Duplicate MCP ${kind} '${key}': declared by ${first} and by ${second}. Names must be unique; set a different name in the decorator options.`,
  severalRoles: (source: string) =>
    `${source} carries more than one of @McpTool, @McpResource, @McpPrompt and @McpCompletion; a method can have only one role.`,
  resourceTarget: (source: string) => `${source}: @McpResource needs exactly one of 'uri' or 'uriTemplate'.`,
  unknownCompletionTarget: (source: string, target: string) =>
    `${source}: @McpCompletion refers to ${target}, which no @McpPrompt or @McpResource declares.`,
  registered: (tools: number, resources: number, templates: number, prompts: number) =>
    `Registered ${tools} tool(s), ${resources} resource(s), ${templates} resource template(s), ${prompts} prompt(s)`,
} as const;
