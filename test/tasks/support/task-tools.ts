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

/**
 * A tool that runs inline for its first 150 ms (`immediateMs`): quick calls answer plainly,
 * slow ones become tasks, and a question asked first goes the multi round-trip way.
 */
export function immediateToolEntry(): ToolEntry {
  return buildToolEntry(
    {
      name: 'maybe-task',
      description: 'Sleeps `ms`, after asking for a name when `ask` is set.',
      task: { support: 'optional', immediateMs: 150 },
    },
    async (args: { ms?: number; ask?: boolean }, ctx: McpContext) => {
      let name = 'nobody';
      if (args.ask === true) {
        const answer = await ctx.elicit(
          { message: 'Name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } } } },
          { key: 'name' },
        );
        name = String(answer.content?.['name']);
      }
      await sleep(args.ms ?? 0, undefined, { signal: ctx.signal });
      return `slept ${args.ms ?? 0} ms for ${name} (task ${ctx.taskId === undefined ? 'no' : 'yes'})`;
    },
  );
}
