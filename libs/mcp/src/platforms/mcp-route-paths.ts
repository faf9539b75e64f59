import { RequestMethod } from '@nestjs/common';
import type { ApplicationConfig } from '@nestjs/core';
import { RoutePathFactory } from '@nestjs/core/router/route-path-factory.js';

/**
 * The paths Nest serves the MCP controller on: the `route` option under the global prefix
 * (unless `exclude`d) and, with URI versioning and a default version, under each version's
 * prefix, computed by Nest's own route path factory so every transport lands where the HTTP
 * routes do. `method` matters for exclusions given per method; the WebSocket Upgrade is a GET.
 */
export function mcpRoutePaths(
  config: ApplicationConfig,
  route: string,
  method: RequestMethod = RequestMethod.GET,
): string[] {
  const versioningOptions = config.getVersioning();
  const defaultVersion = (versioningOptions as { defaultVersion?: unknown } | undefined)?.defaultVersion;
  return new RoutePathFactory(config).create(
    {
      ctrlPath: route,
      methodPath: '/',
      globalPrefix: config.getGlobalPrefix(),
      versioningOptions,
      controllerVersion: defaultVersion as string | string[] | undefined,
    },
    method,
  );
}
