import type { INestApplication, NestApplicationOptions } from '@nestjs/common';
import { type AbstractHttpAdapter, NestFactory } from '@nestjs/core';
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

/**
 * `NestFactory.create` on the platform `MCP_PLATFORM` (or `platform`) names. Why a helper:
 * `create(module, undefined, options)` would drop the options, so without an adapter the
 * two-argument form must be called.
 */
export function createAppOnPlatform(
  module: Parameters<typeof NestFactory.create>[0],
  options: NestApplicationOptions,
  platform = process.env['MCP_PLATFORM'],
): Promise<INestApplication> {
  const adapter = httpAdapterFromEnv(platform);
  return adapter === undefined
    ? NestFactory.create(module, options)
    : NestFactory.create(module, adapter, options);
}
