import { Injectable } from '@nestjs/common';
import { fromJsonSchema } from '@modelcontextprotocol/server';
import { type McpContext, McpCtx, McpTool, McpToolError } from 'nest-mcp';
import { PIXEL_PNG_BASE64, SILENT_WAV_BASE64, sleep } from './conformance-media.js';

/**
 * A 2020-12 input schema using keywords SDKs tend to drop ($schema, $defs, $anchor,
 * composition, conditionals, additionalProperties): `tools/list` must return it untouched.
 */
const CONTACT_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  $defs: {
    address: {
      $anchor: 'postalAddress',
      type: 'object',
      properties: { street: { type: 'string' }, city: { type: 'string' } },
    },
  },
  properties: {
    name: { type: 'string' },
    address: { $ref: '#/$defs/address' },
    contactMethod: { type: 'string', enum: ['phone', 'email'] },
    phone: { type: 'string' },
    email: { type: 'string' },
  },
  allOf: [{ anyOf: [{ required: ['phone'] }, { required: ['email'] }] }],
  if: { properties: { contactMethod: { const: 'phone' } }, required: ['contactMethod'] },
  // oxlint-disable-next-line unicorn/no-thenable -- `then` is the JSON Schema keyword here
  then: { required: ['phone'] },
  else: { required: ['email'] },
  additionalProperties: false,
} as const;

/** Tools whose results exercise each content type, errors, logging and progress. */
@Injectable()
export class ContentTools {
  @McpTool({ name: 'test_simple_text', description: 'Returns one text block.' })
  simpleText() {
    return { content: [{ type: 'text', text: 'This is a simple text response for testing.' }] };
  }

  @McpTool({ name: 'test_image_content', description: 'Returns one image block (PNG).' })
  image() {
    return { content: [{ type: 'image', data: PIXEL_PNG_BASE64, mimeType: 'image/png' }] };
  }

  @McpTool({ name: 'test_audio_content', description: 'Returns one audio block (WAV).' })
  audio() {
    return { content: [{ type: 'audio', data: SILENT_WAV_BASE64, mimeType: 'audio/wav' }] };
  }

  @McpTool({ name: 'test_embedded_resource', description: 'Returns an embedded text resource.' })
  embeddedResource() {
    return {
      content: [
        {
          type: 'resource',
          resource: {
            uri: 'test://embedded-resource',
            mimeType: 'text/plain',
            text: 'This is an embedded resource content.',
          },
        },
      ],
    };
  }

  @McpTool({
    name: 'test_multiple_content_types',
    description: 'Returns text, an image and an embedded JSON resource in one result.',
  })
  mixedContent() {
    return {
      content: [
        { type: 'text', text: 'Multiple content types test:' },
        { type: 'image', data: PIXEL_PNG_BASE64, mimeType: 'image/png' },
        {
          type: 'resource',
          resource: {
            uri: 'test://mixed-content-resource',
            mimeType: 'application/json',
            text: JSON.stringify({ test: 'data', value: 123 }),
          },
        },
      ],
    };
  }

  @McpTool({ name: 'test_error_handling', description: 'Always fails with a tool error.' })
  failing(): never {
    throw new McpToolError('This tool intentionally returns an error for testing');
  }

  @McpTool({
    name: 'test_tool_with_logging',
    description: 'Sends three info log messages while it runs.',
  })
  async withLogging(@McpCtx() ctx: McpContext) {
    await ctx.log('info', 'Tool execution started');
    await sleep(50);
    await ctx.log('info', 'Tool processing data');
    await sleep(50);
    await ctx.log('info', 'Tool execution completed');
    return 'Tool with logging executed successfully';
  }

  /** The 2026-era diagnostic: logs only reach a client that asked for them (`logLevel`). */
  @McpTool({ name: 'test_logging_tool', description: 'Logs at several levels, then answers.' })
  async loggingProbe(@McpCtx() ctx: McpContext) {
    await ctx.log('debug', 'debug message from test_logging_tool');
    await ctx.log('info', 'info message from test_logging_tool');
    await ctx.log('error', 'error message from test_logging_tool');
    return 'Logging complete';
  }

  @McpTool({
    name: 'test_tool_with_progress',
    description: 'Reports progress 0, 50 and 100 of 100 when the client asks for progress.',
  })
  async withProgress(@McpCtx() ctx: McpContext) {
    for (const step of [0, 50, 100]) {
      await ctx.reportProgress(step, 100, `Completed step ${step} of 100`);
      if (step < 100) await sleep(50);
    }
    return 'Progress reporting completed';
  }

  @McpTool({
    name: 'test_reconnection',
    description: 'Runs long enough for the server to end an SSE stream mid-call (SSE polling).',
  })
  async reconnection() {
    await sleep(400);
    return 'Reconnection test completed successfully.';
  }

  @McpTool({
    name: 'json_schema_2020_12_tool',
    description: 'Takes a contact described with JSON Schema 2020-12 keywords.',
    input: fromJsonSchema(CONTACT_SCHEMA as unknown as Parameters<typeof fromJsonSchema>[0]),
  })
  contact(args: Record<string, unknown>) {
    return `JSON Schema 2020-12 tool called with: ${JSON.stringify(args)}`;
  }
}
