import { Injectable, type OnModuleInit } from '@nestjs/common';
import { McpFleetChanges, McpRegistry, McpTool } from 'nest-mcp';

const DYNAMIC_TOOL = 'test_dynamic_tool';
const DYNAMIC_PROMPT = 'test_dynamic_prompt';

/**
 * Diagnostic hooks the stateless scenario calls to make the tool or prompt list change
 * while a `subscriptions/listen` stream is open. Each call toggles one runtime entry, so the
 * lists return to their start state every second call. The toggle is a fleet change: behind
 * a load balancer the listen and the trigger land on different instances, and every
 * instance must agree on the lists.
 */
@Injectable()
export class ListChangeTriggers implements OnModuleInit {
  constructor(
    private readonly registry: McpRegistry,
    private readonly fleet: McpFleetChanges,
  ) {}

  onModuleInit(): void {
    this.fleet.define<{ present: boolean }>('dynamic-tool', ({ present }) => {
      if (!present) this.registry.removeTool(DYNAMIC_TOOL);
      else if (this.registry.getTool(DYNAMIC_TOOL) === undefined)
        this.registry.addTool(
          { name: DYNAMIC_TOOL, description: 'Exists between two trigger calls.' },
          () => 'dynamic tool result',
        );
    });
    this.fleet.define<{ present: boolean }>('dynamic-prompt', ({ present }) => {
      if (!present) this.registry.removePrompt(DYNAMIC_PROMPT);
      else if (this.registry.getPrompt(DYNAMIC_PROMPT) === undefined)
        this.registry.addPrompt(
          { name: DYNAMIC_PROMPT, description: 'Exists between two trigger calls.' },
          () => 'dynamic prompt text',
        );
    });
  }

  @McpTool({ name: 'test_trigger_tool_change', description: 'Adds or removes a dynamic tool.' })
  async toggleTool() {
    const present = this.registry.getTool(DYNAMIC_TOOL) === undefined;
    await this.fleet.apply('dynamic-tool', { present });
    return `${present ? 'added' : 'removed'} ${DYNAMIC_TOOL}`;
  }

  @McpTool({ name: 'test_trigger_prompt_change', description: 'Adds or removes a dynamic prompt.' })
  async togglePrompt() {
    const present = this.registry.getPrompt(DYNAMIC_PROMPT) === undefined;
    await this.fleet.apply('dynamic-prompt', { present });
    return `${present ? 'added' : 'removed'} ${DYNAMIC_PROMPT}`;
  }
}
