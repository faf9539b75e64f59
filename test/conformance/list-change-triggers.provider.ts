import { Injectable } from '@nestjs/common';
import { McpRegistry, McpTool } from 'nest-mcp';

const DYNAMIC_TOOL = 'test_dynamic_tool';
const DYNAMIC_PROMPT = 'test_dynamic_prompt';

/**
 * Diagnostic hooks the stateless scenario calls to make the tool or prompt list change
 * while a `subscriptions/listen` stream is open. Each call toggles one runtime entry, so the
 * lists return to their start state every second call.
 */
@Injectable()
export class ListChangeTriggers {
  constructor(private readonly registry: McpRegistry) {}

  @McpTool({ name: 'test_trigger_tool_change', description: 'Adds or removes a dynamic tool.' })
  toggleTool() {
    if (this.registry.removeTool(DYNAMIC_TOOL)) return `removed ${DYNAMIC_TOOL}`;
    this.registry.addTool(
      { name: DYNAMIC_TOOL, description: 'Exists between two trigger calls.' },
      () => 'dynamic tool result',
    );
    return `added ${DYNAMIC_TOOL}`;
  }

  @McpTool({ name: 'test_trigger_prompt_change', description: 'Adds or removes a dynamic prompt.' })
  togglePrompt() {
    if (this.registry.removePrompt(DYNAMIC_PROMPT)) return `removed ${DYNAMIC_PROMPT}`;
    this.registry.addPrompt(
      { name: DYNAMIC_PROMPT, description: 'Exists between two trigger calls.' },
      () => 'dynamic prompt text',
    );
    return `added ${DYNAMIC_PROMPT}`;
  }
}
