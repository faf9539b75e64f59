import { setTimeout as sleep } from 'node:timers/promises';
import { buildToolEntry, type McpContext, type ToolEntry } from 'nest-mcp';

/** Why the last `countdown` task's signal was aborted (probe for cancellation tests). */
export const countdownProbe: { abortedWith: unknown } = { abortedWith: undefined };

/**
 * Task-capable tools for the end-to-end specs, built with the public `buildToolEntry` as an
 * app registering tools at runtime would: the same entries serve the HTTP transports (added
 * to the harness catalog) and stdio (registered by the task fixture).
 */
export function taskToolEntries(): ToolEntry[] {
  return [
    buildToolEntry(
      {
        name: 'countdown',
        description: 'Counts down `steps` steps of `stepMs` ms, reporting each; a task when the client can.',
        task: { support: 'optional', pollIntervalMs: 50, ttlMs: 60_000 },
      },
      async (args: { steps?: number; stepMs?: number }, ctx: McpContext) => {
        const steps = args.steps ?? 3;
        const stepMs = args.stepMs ?? 20;
        ctx.signal.addEventListener('abort', () => (countdownProbe.abortedWith = ctx.signal.reason), {
          once: true,
        });
        for (let step = 1; step <= steps; step++) {
          await sleep(stepMs, undefined, { signal: ctx.signal });
          await ctx.reportProgress(step, steps, `step ${step} of ${steps}`);
        }
        return `counted ${steps} in task ${ctx.taskId ?? 'none'}`;
      },
    ),
    buildToolEntry(
      { name: 'ask-color', description: 'Asks for a colour, then answers.', task: 'optional' },
      async (_args: unknown, ctx: McpContext) => {
        const answer = await ctx.elicit(
          {
            message: 'Favourite colour?',
            requestedSchema: {
              type: 'object',
              properties: { color: { type: 'string' } },
              required: ['color'],
            },
          },
          { key: 'color' },
        );
        return `color=${String(answer.content?.['color'])}`;
      },
    ),
    buildToolEntry(
      { name: 'only-task', description: 'Runs only as a task.', task: 'required' },
      () => 'ran as a task',
    ),
    buildToolEntry(
      { name: 'big-result', description: 'Returns `bytes` characters.', task: 'optional' },
      (args: { bytes?: number }) => 'x'.repeat(args.bytes ?? 10),
    ),
  ];
}
