import type { AbstractHttpAdapter } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';

/**
 * The HTTP platform the example runs on: Express (Nest's default) or Fastify with
 * `MCP_PLATFORM=fastify`. `undefined` lets Nest create its default Express adapter.
 */
export function httpAdapterFromEnv(platform = process.env['MCP_PLATFORM']): AbstractHttpAdapter | undefined {
  switch (platform) {
    case undefined:
    case '':
    case 'express':
      return undefined;
    case 'fastify':
      return new FastifyAdapter();
    default:
      throw new Error(`MCP_PLATFORM must be express or fastify, not ${platform}`);
  }
}
