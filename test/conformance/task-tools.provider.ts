import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { McpArgs, type McpContext, McpCtx, McpTool, McpToolError, McpWireError } from 'nest-mcp';
import { z } from 'zod';

const confirmSchema = {
  type: 'object' as const,
  properties: { confirm: { type: 'boolean' as const } },
  required: ['confirm'],
};

/**
 * The tools the tasks extension scenarios (SEP-2663) call, with the names and behaviour their
 * descriptions require. Plain handlers: the task machinery is the `task` option alone.
 */
@Injectable()
export class TaskTools {
  @McpTool({
    name: 'greet',
    description: 'Greets someone (never a task).',
    input: z.object({ name: z.string() }),
  })
  greet(@McpArgs() args: { name: string }) {
    return `Hello, ${args.name}!`;
  }

  @McpTool({
    name: 'slow_compute',
    description: 'Sleeps for `seconds`, then reports; a task for clients of the tasks extension.',
    input: z.object({ seconds: z.number().min(0), label: z.string().optional() }),
    task: 'optional',
  })
  async slowCompute(@McpArgs() args: { seconds: number; label?: string }, @McpCtx() ctx: McpContext) {
    if (args.seconds > 0) {
      await ctx.reportProgress(0, args.seconds, `computing ${args.label ?? ''}`.trim());
      await sleep(args.seconds * 1000, undefined, { signal: ctx.signal });
    }
    return `Computed ${args.label ?? 'result'} in ${args.seconds}s`;
  }

  @McpTool({
    name: 'failing_job',
    description: 'Fails with a tool error after about a second; only as a task.',
    task: 'required',
  })
  async failingJob(@McpCtx() ctx: McpContext) {
    await sleep(1000, undefined, { signal: ctx.signal });
    throw new McpToolError('The job failed: the input was rejected');
  }

  @McpTool({
    name: 'protocol_error_job',
    description: 'Ends in a protocol-level error (the task fails).',
    task: 'optional',
  })
  async protocolErrorJob(@McpCtx() ctx: McpContext) {
    await sleep(200, undefined, { signal: ctx.signal });
    throw new McpWireError('internal-error', 'The job crashed: the backend went away');
  }

  @McpTool({
    name: 'confirm_delete',
    description: 'Asks the user to confirm, then deletes (pretends to).',
    input: z.object({ filename: z.string() }),
    task: 'optional',
  })
  async confirmDelete(@McpArgs() args: { filename: string }, @McpCtx() ctx: McpContext) {
    const answer = await ctx.elicit({
      message: `Delete ${args.filename}?`,
      requestedSchema: confirmSchema,
    });
    const confirmed = answer.action === 'accept' && answer.content?.['confirm'] === true;
    return confirmed ? `Deleted ${args.filename}` : `Kept ${args.filename}`;
  }

  @McpTool({
    name: 'multi_input',
    description: 'Asks two questions at once.',
    task: 'optional',
  })
  async multiInput(@McpCtx() ctx: McpContext) {
    const [first, second] = await Promise.all([
      ctx.elicit(
        {
          message: 'Your name?',
          requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
        },
        { key: 'name' },
      ),
      ctx.elicit({ message: 'Proceed?', requestedSchema: confirmSchema }, { key: 'confirm' }),
    ]);
    return `name=${String(first.content?.['name'])} confirm=${String(second.content?.['confirm'])}`;
  }

  @McpTool({
    name: 'test_tool_with_task',
    description: 'Asks for a name on the call itself, then works on as a task.',
    // Questions within the first 100 ms go the multi round-trip way; the work after them is the task.
    task: { support: 'required', immediateMs: 100 },
  })
  async toolWithTask(@McpCtx() ctx: McpContext) {
    const answer = await ctx.elicit(
      {
        message: 'What is your name?',
        requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
      },
      { key: 'user_name' },
    );
    await sleep(500, undefined, { signal: ctx.signal });
    return `Hello, ${String(answer.content?.['name'] ?? 'stranger')}!`;
  }
}
