import type { Client, RequestOptions } from '@modelcontextprotocol/client';
import { type McpClientTask, McpClientTasks } from '../client/mcp-client-tasks.js';
import type { CliCommandSpec, CliOutput } from './cli-commands.js';
import { CliError, EXIT } from './cli-errors.js';
import { parseJsonObject } from './json-operand.js';
import { toolResultText } from './human-output.js';

/**
 * The tasks extension from the command line (`nest-mcp task-start`, `task-follow`, `task-get`,
 * `task-update`, `task-cancel`): start a tool as a task, follow it, answer it, stop it. The
 * CLI declares form elicitation, so a task may ask; the questions are printed and answered
 * with `task-update`.
 */

const CLI_CAPABILITIES = { elicitation: { form: {} } };

function tasksOf(client: Client): McpClientTasks {
  return new McpClientTasks(client, CLI_CAPABILITIES);
}

/** A task as text, and the exit code its state stands for. */
export function taskOutput(task: McpClientTask): CliOutput {
  const head = statusLine(task);
  switch (task.status) {
    case 'completed':
      return {
        json: task,
        text: `${head}\n${toolResultText(task.result!)}`,
        exitCode: task.result?.isError === true ? EXIT.toolError : EXIT.ok,
      };
    case 'failed':
      return {
        json: task,
        text: `${head}\nerror ${task.error?.code}: ${task.error?.message}`,
        exitCode: EXIT.refused,
      };
    case 'cancelled':
      return { json: task, text: head, exitCode: EXIT.toolError, notice: 'the task was cancelled' };
    case 'input_required': {
      const questions = Object.entries(task.inputRequests ?? {}).map(
        ([key, request]) => `  ${key}: ${request.method} ${JSON.stringify(request.params ?? {})}`,
      );
      return {
        json: task,
        text: `${head}\n${questions.join('\n')}\nanswer with: nest-mcp task-update TARGET ${task.taskId} '{"KEY":{...}}'`,
        exitCode: EXIT.ok,
      };
    }
    default:
      return { json: task, text: head, exitCode: EXIT.ok };
  }
}

function taskId(operands: readonly string[], command: string): string {
  const [id] = operands;
  if (id === undefined || id === '') throw new CliError(`${command} needs a TASK_ID`, EXIT.usage);
  return id;
}

/** Follows until the task ends or asks; bounded by `--timeout` when it is given. */
async function follow(client: Client, id: string, request: RequestOptions): Promise<McpClientTask> {
  const timeoutMs = request.timeout;
  try {
    return await tasksOf(client).follow(id, {
      ...(timeoutMs !== undefined && { signal: AbortSignal.timeout(timeoutMs) }),
      onStatus: (task) => process.stderr.write(`${statusLine(task)}\n`),
    });
  } catch (error) {
    if ((error as Error | undefined)?.name === 'TimeoutError') {
      throw new CliError(`task ${id} did not end within ${timeoutMs} ms (--timeout)`, EXIT.timeout);
    }
    throw error;
  }
}

function statusLine(task: McpClientTask): string {
  return `task ${task.taskId}: ${task.status}${task.statusMessage === undefined ? '' : ` (${task.statusMessage})`}`;
}

export const taskStart: CliCommandSpec<{ tool: string; args: Record<string, unknown> }> = {
  operands: 'TOOL [JSON_ARGS]',
  summary: 'call a tool as a task (tasks extension) and print its task id',
  help:
    'Prints the task id and status (a server that ran the call inline prints the result instead);\n' +
    'follow it with task-follow, read it with task-get, stop it with task-cancel. --json prints the task.',
  maxOperands: 2,
  parse: ([tool, json]) => {
    if (tool === undefined) throw new CliError('task-start needs a TOOL name', EXIT.usage);
    return { tool, args: parseJsonObject(json, 'JSON_ARGS') };
  },
  run: async (client, { tool, args }) => {
    const started = await tasksOf(client).start(tool, args);
    if ('result' in started) {
      return {
        json: started.result,
        text: toolResultText(started.result),
        exitCode: started.result.isError === true ? EXIT.toolError : EXIT.ok,
      };
    }
    return taskOutput(started.task);
  },
};

export const taskFollow: CliCommandSpec<{ taskId: string }> = {
  operands: 'TASK_ID',
  summary: 'follow a task until it ends or needs input',
  help:
    'Polls tasks/get at the pace the server suggests, printing each state to stderr; prints the\n' +
    'result (or error, or the questions to answer with task-update). Exit codes as for call;\n' +
    'a failed task exits 4, a cancelled one 1; not ended within --timeout (when given): 5.',
  maxOperands: 1,
  parse: (operands) => ({ taskId: taskId(operands, 'task-follow') }),
  run: async (client, { taskId: id }, request) => taskOutput(await follow(client, id, request)),
};

export const taskGet: CliCommandSpec<{ taskId: string }> = {
  operands: 'TASK_ID',
  summary: "print a task's state (tasks/get)",
  help: 'Prints the status, its message, and the result, error or questions; --json prints the task.',
  maxOperands: 1,
  parse: (operands) => ({ taskId: taskId(operands, 'task-get') }),
  run: async (client, { taskId: id }) => taskOutput(await tasksOf(client).get(id)),
};

export const taskUpdate: CliCommandSpec<{ taskId: string; responses: Record<string, unknown> }> = {
  operands: 'TASK_ID JSON_RESPONSES',
  summary: "answer a task's questions (tasks/update)",
  help:
    'JSON_RESPONSES maps question keys to answers, e.g. \'{"title":{"action":"accept","content":{"title":"Q3"}}}\'.\n' +
    'Answers to unknown or answered keys are ignored by the server.',
  maxOperands: 2,
  parse: (operands) => {
    const id = taskId(operands, 'task-update');
    if (operands[1] === undefined) throw new CliError('task-update needs JSON_RESPONSES', EXIT.usage);
    return { taskId: id, responses: parseJsonObject(operands[1], 'JSON_RESPONSES') };
  },
  run: async (client, { taskId: id, responses }) => {
    await tasksOf(client).update(id, responses);
    return { json: {}, text: `task ${id}: answers sent`, exitCode: EXIT.ok };
  },
};

export const taskCancel: CliCommandSpec<{ taskId: string }> = {
  operands: 'TASK_ID',
  summary: 'cancel a task (tasks/cancel)',
  help: 'The server acknowledges at once; task-get shows the task cancelled once it stopped.',
  maxOperands: 1,
  parse: (operands) => ({ taskId: taskId(operands, 'task-cancel') }),
  run: async (client, { taskId: id }) => {
    await tasksOf(client).cancel(id);
    return { json: {}, text: `task ${id}: cancel requested`, exitCode: EXIT.ok };
  },
};
