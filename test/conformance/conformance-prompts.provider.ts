import { Injectable } from '@nestjs/common';
import { McpArgs, type McpContext, McpCompletion, McpCtx, McpPrompt } from 'nest-mcp';
import { PIXEL_PNG_BASE64 } from './conformance-media.js';

const ARG1_SUGGESTIONS = ['paris', 'park', 'party', 'test', 'testing'];

/** Prompts with and without arguments, with embedded resources and images, and completion. */
@Injectable()
export class ConformancePrompts {
  @McpPrompt({
    name: 'test_simple_prompt',
    title: 'Simple prompt',
    description: 'A prompt without arguments.',
  })
  simple() {
    return 'This is a simple prompt for testing.';
  }

  @McpPrompt({
    name: 'test_prompt_with_arguments',
    title: 'Prompt with arguments',
    description: 'A prompt with two required arguments.',
    arguments: [
      { name: 'arg1', description: 'First test argument', required: true },
      { name: 'arg2', description: 'Second test argument', required: true },
    ],
  })
  withArguments(@McpArgs() args: { arg1: string; arg2: string }) {
    return `Prompt with arguments: arg1='${args.arg1}', arg2='${args.arg2}'`;
  }

  @McpCompletion({ prompt: 'test_prompt_with_arguments', argument: 'arg1' })
  completeArg1(value: string) {
    return ARG1_SUGGESTIONS.filter((candidate) => candidate.startsWith(value.toLowerCase()));
  }

  @McpPrompt({
    name: 'test_prompt_with_embedded_resource',
    title: 'Prompt with an embedded resource',
    description: 'Embeds the resource named by resourceUri.',
    arguments: [{ name: 'resourceUri', description: 'URI of the resource to embed', required: true }],
  })
  withEmbeddedResource(@McpArgs() args: { resourceUri: string }) {
    return {
      messages: [
        {
          role: 'user',
          content: {
            type: 'resource',
            resource: {
              uri: args.resourceUri,
              mimeType: 'text/plain',
              text: 'Embedded resource content for testing.',
            },
          },
        },
        { role: 'user', content: { type: 'text', text: 'Please process the embedded resource above.' } },
      ],
    };
  }

  @McpPrompt({
    name: 'test_prompt_with_image',
    title: 'Prompt with an image',
    description: 'Shows an image.',
  })
  withImage() {
    return {
      messages: [
        { role: 'user', content: { type: 'image', data: PIXEL_PNG_BASE64, mimeType: 'image/png' } },
        { role: 'user', content: { type: 'text', text: 'Please analyze the image above.' } },
      ],
    };
  }

  /** 2026 era: input-required is not only for tools; this prompt needs an answer first. */
  @McpPrompt({
    name: 'test_input_required_result_prompt',
    description: 'Asks the user for context before it renders.',
  })
  async needsContext(@McpCtx() ctx: McpContext) {
    const answer = await ctx.elicit(
      {
        message: 'What context should the prompt use?',
        requestedSchema: {
          type: 'object',
          properties: { context: { type: 'string' } },
          required: ['context'],
        },
      },
      { key: 'user_context' },
    );
    const context = answer.content?.['context'];
    return `Prompt with context: ${typeof context === 'string' ? context : 'none'}`;
  }
}
