import type { INestApplication, NestApplicationOptions } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import { httpAdapterFromEnv } from '../../src/http-platform.js';

/**
 * The HTTP platform of this test run: `MCP_TEST_PLATFORM=fastify` runs the HTTP-facing suites
 * on Fastify (scripts/run-tests.mjs does a second pass so), anything else on Express.
 */
export const TEST_PLATFORM: 'express' | 'fastify' =
  process.env['MCP_TEST_PLATFORM'] === 'fastify' ? 'fastify' : 'express';

/**
 * The global prefix of this test run (`MCP_TEST_PREFIX`, none by default): the HTTP-facing
 * suites run with and without one, and every transport must follow it.
 */
export const TEST_PREFIX = (process.env['MCP_TEST_PREFIX'] ?? '').replace(/^\/+|\/+$/g, '');

/** The path of `route` in this run (under the global prefix, if any). */
export function routePath(route = '/mcp'): string {
  const path = `/${route.replace(/^\/+|\/+$/g, '')}`;
  return TEST_PREFIX === '' ? path : `/${TEST_PREFIX}${path}`;
}

/** Applies this run's route settings to an app before it listens. */
export function applyTestRouteSettings(app: INestApplication): void {
  if (TEST_PREFIX !== '') app.setGlobalPrefix(TEST_PREFIX);
}

/** A Nest application on this run's platform. */
export function createTestApp(moduleRef: TestingModule, options: NestApplicationOptions): INestApplication {
  const adapter = httpAdapterFromEnv(TEST_PLATFORM);
  return adapter === undefined
    ? moduleRef.createNestApplication(options)
    : moduleRef.createNestApplication(adapter, options);
}
