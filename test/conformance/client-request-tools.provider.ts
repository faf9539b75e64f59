import { Injectable } from '@nestjs/common';
import type {
  CreateMessageResult,
  ElicitRequestFormParams,
  ElicitResult,
} from '@modelcontextprotocol/server';
import { McpArgs, type McpContext, McpCtx, McpTool } from 'nest-mcp';
import { z } from 'zod';

type RequestedSchema = ElicitRequestFormParams['requestedSchema'];

const oneString = (property: string): RequestedSchema => ({
  type: 'object',
  properties: { [property]: { type: 'string' } },
  required: [property],
});

function textOf(result: CreateMessageResult): string {
  const content = result.content as { type?: string; text?: string } | undefined;
  return content?.type === 'text' && typeof content.text === 'string' ? content.text : 'no text';
}

function field(result: ElicitResult, name: string): string {
  const value = result.content?.[name];
  return typeof value === 'string' ? value : 'unknown';
}

/**
 * Tools that ask the client for something: sampling, elicitation and roots. The handlers
 * are era-agnostic: in the 2025 era each `ctx` call is a server-to-client request; in the
 * 2026 era it ends the call with an `input_required` result and the retried call gets the
 * answer. Keys name each question under `inputRequests`, as the scenarios expect.
 */
@Injectable()
export class ClientRequestTools {
  @McpTool({
    name: 'test_sampling',
    description: "Asks the client's model to answer a prompt.",
    input: z.object({ prompt: z.string().describe('The prompt to send to the model') }),
  })
  async sampling(@McpArgs() args: { prompt: string }, @McpCtx() ctx: McpContext) {
    const result = await ctx.createMessage({
      messages: [{ role: 'user', content: { type: 'text', text: args.prompt } }],
      maxTokens: 100,
    });
    return `LLM response: ${textOf(result)}`;
  }

  @McpTool({
    name: 'test_elicitation',
    description: 'Asks the user for a response.',
    input: z.object({ message: z.string().describe('The message to show the user') }),
  })
  async elicitation(@McpArgs() args: { message: string }, @McpCtx() ctx: McpContext) {
    const result = await ctx.elicit({
      message: args.message,
      requestedSchema: {
        type: 'object',
        properties: { response: { type: 'string', description: "The user's response" } },
        required: ['response'],
      },
    });
    return `User response: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`;
  }

  @McpTool({
    name: 'test_elicitation_sep1034_defaults',
    description: 'Asks for a form whose fields all carry defaults (SEP-1034).',
  })
  async elicitationDefaults(@McpCtx() ctx: McpContext) {
    const result = await ctx.elicit({
      message: 'Please review the prefilled fields',
      requestedSchema: {
        type: 'object',
        properties: {
          name: { type: 'string', description: 'Name', default: 'John Doe' },
          age: { type: 'integer', description: 'Age', default: 30 },
          score: { type: 'number', description: 'Score', default: 95.5 },
          status: {
            type: 'string',
            description: 'Status',
            enum: ['active', 'inactive', 'pending'],
            default: 'active',
          },
          verified: { type: 'boolean', description: 'Verified', default: true },
        },
        required: [],
      },
    });
    return `Elicitation completed: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`;
  }

  @McpTool({
    name: 'test_elicitation_sep1330_enums',
    description: 'Asks for a form using every enum shape (SEP-1330).',
  })
  async elicitationEnums(@McpCtx() ctx: McpContext) {
    const result = await ctx.elicit({
      message: 'Please pick from the enum fields',
      requestedSchema: {
        type: 'object',
        properties: {
          untitledSingle: {
            type: 'string',
            description: 'Pick one',
            enum: ['option1', 'option2', 'option3'],
          },
          titledSingle: {
            type: 'string',
            description: 'Pick one (titled)',
            oneOf: [
              { const: 'value1', title: 'First Option' },
              { const: 'value2', title: 'Second Option' },
              { const: 'value3', title: 'Third Option' },
            ],
          },
          legacyEnum: {
            type: 'string',
            description: 'Pick one (legacy titles)',
            enum: ['opt1', 'opt2', 'opt3'],
            enumNames: ['Option One', 'Option Two', 'Option Three'],
          },
          untitledMulti: {
            type: 'array',
            description: 'Pick several',
            minItems: 1,
            maxItems: 3,
            items: { type: 'string', enum: ['option1', 'option2', 'option3'] },
          },
          titledMulti: {
            type: 'array',
            description: 'Pick several (titled)',
            minItems: 1,
            maxItems: 3,
            items: {
              anyOf: [
                { const: 'value1', title: 'First Choice' },
                { const: 'value2', title: 'Second Choice' },
                { const: 'value3', title: 'Third Choice' },
              ],
            },
          },
        },
        required: [],
      },
    } as ElicitRequestFormParams);
    return `Elicitation completed: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`;
  }

  // ---- 2026-07-28 multi round-trip (input-required) scenarios ----------------------------------

  @McpTool({ name: 'test_input_required_result_elicitation', description: 'Asks for the user name.' })
  async inputElicitation(@McpCtx() ctx: McpContext) {
    const answer = await ctx.elicit(
      { message: 'What is your name?', requestedSchema: oneString('name') },
      { key: 'user_name' },
    );
    return `Hello, ${field(answer, 'name')}!`;
  }

  @McpTool({ name: 'test_input_required_result_sampling', description: 'Asks the model a question.' })
  async inputSampling(@McpCtx() ctx: McpContext) {
    const answer = await ctx.createMessage(
      {
        messages: [{ role: 'user', content: { type: 'text', text: 'What is the capital of France?' } }],
        maxTokens: 100,
      },
      { key: 'capital_question' },
    );
    return `Sampling result: ${textOf(answer)}`;
  }

  @McpTool({ name: 'test_input_required_result_list_roots', description: "Asks for the client's roots." })
  async inputRoots(@McpCtx() ctx: McpContext) {
    const { roots } = await ctx.listRoots({ key: 'client_roots' });
    return `Found ${roots.length} root(s): ${roots.map((root) => root.uri).join(', ')}`;
  }

  @McpTool({
    name: 'test_input_required_result_request_state',
    description: 'Asks for a confirmation; the answer comes back with the signed requestState.',
  })
  async inputRequestState(@McpCtx() ctx: McpContext) {
    const answer = await ctx.elicit(
      {
        message: 'Please confirm',
        requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
      },
      { key: 'confirm' },
    );
    return `state-ok: confirmation ${answer.action}`;
  }

  @McpTool({
    name: 'test_input_required_result_multiple_inputs',
    description: 'Asks for a name, a greeting and the roots in one round.',
  })
  async inputMultiple(@McpCtx() ctx: McpContext) {
    // Started together so that one round asks all three questions.
    const [name, greeting, roots] = await Promise.all([
      ctx.elicit({ message: 'What is your name?', requestedSchema: oneString('name') }, { key: 'user_name' }),
      ctx.createMessage(
        {
          messages: [{ role: 'user', content: { type: 'text', text: 'Generate a greeting' } }],
          maxTokens: 50,
        },
        { key: 'greeting' },
      ),
      ctx.listRoots({ key: 'client_roots' }),
    ]);
    return `Name: ${field(name, 'name')}; Greeting: ${textOf(greeting)}; Roots: ${roots.roots.length}`;
  }

  @McpTool({
    name: 'test_input_required_result_multi_round',
    description: 'Asks two questions in two rounds.',
  })
  async inputMultiRound(@McpCtx() ctx: McpContext) {
    const step1 = await ctx.elicit(
      { message: 'Step 1: What is your name?', requestedSchema: oneString('name') },
      { key: 'step1' },
    );
    const step2 = await ctx.elicit(
      { message: 'Step 2: What is your favorite color?', requestedSchema: oneString('color') },
      { key: 'step2' },
    );
    return `Multi-round complete for ${field(step1, 'name')} who likes ${field(step2, 'color')}`;
  }

  @McpTool({
    name: 'test_input_required_result_tampered_state',
    description: 'Asks for a confirmation; a tampered requestState is refused.',
  })
  async inputTamperedState(@McpCtx() ctx: McpContext) {
    await ctx.elicit(
      {
        message: 'Please confirm',
        requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
      },
      { key: 'confirm' },
    );
    return 'integrity-ok: state verified';
  }

  @McpTool({
    name: 'test_input_required_result_capabilities',
    description: 'Asks only for the kinds of input the client declared it can give.',
  })
  async inputCapabilities(@McpCtx() ctx: McpContext) {
    const capabilities = ctx.clientCapabilities ?? {};
    const questions: Array<Promise<unknown>> = [];
    const keys: string[] = [];
    if (capabilities.elicitation) {
      keys.push('elicit_input');
      questions.push(
        ctx.elicit(
          { message: 'Elicitation input', requestedSchema: oneString('value') },
          { key: 'elicit_input' },
        ),
      );
    }
    if (capabilities.sampling) {
      keys.push('sample_input');
      questions.push(
        ctx.createMessage(
          { messages: [{ role: 'user', content: { type: 'text', text: 'Sample request' } }], maxTokens: 50 },
          { key: 'sample_input' },
        ),
      );
    }
    if (questions.length === 0) return 'No supported capabilities declared';
    await Promise.all(questions);
    return `capabilities-ok: received ${keys.join(',')}`;
  }

  /** Needs sampling, which the stateless probe does not declare: the call must be refused with -32021. */
  @McpTool({ name: 'test_missing_capability', description: 'Requires the sampling capability.' })
  async missingCapability(@McpCtx() ctx: McpContext) {
    await ctx.createMessage({
      messages: [{ role: 'user', content: { type: 'text', text: 'Say hello' } }],
      maxTokens: 20,
    });
    return 'Success';
  }

  /** Reports progress, then needs input: its response stream may carry only those, never a request. */
  @McpTool({
    name: 'test_streaming_elicitation',
    description: 'Reports progress, then asks the user a question.',
  })
  async streamingElicitation(@McpCtx() ctx: McpContext) {
    await ctx.reportProgress(50, 100, 'halfway');
    const answer = await ctx.elicit(
      { message: 'Continue?', requestedSchema: oneString('answer') },
      { key: 'continue' },
    );
    return `Streaming complete: ${answer.action}`;
  }
}
