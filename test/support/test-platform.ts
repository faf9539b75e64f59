import type { INestApplication, NestApplicationOptions } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import { httpAdapterFromEnv } from '../../src/http-platform.js';

/**
 * The HTTP platform of this test run: `MCP_TEST_PLATFORM=fastify` runs the HTTP-facing suites
 * on Fastify (scripts/run-tests.mjs does a second pass so), anything else on Express.
 */
export const TEST_PLATFORM: 'express' | 'fastify' =
  process.env['MCP_TEST_PLATFORM'] === 'fastify' ? 'fastify' : 'express';

/** A Nest application on this run's platform. */
export function createTestApp(moduleRef: TestingModule, options: NestApplicationOptions): INestApplication {
  const adapter = httpAdapterFromEnv(TEST_PLATFORM);
  return adapter === undefined
    ? moduleRef.createNestApplication(options)
    : moduleRef.createNestApplication(adapter, options);
}
