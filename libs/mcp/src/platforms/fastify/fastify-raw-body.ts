import { Injectable, type OnModuleInit, SetMetadata } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

/** Nest's key for Fastify route config (`@RouteConfig()` of `@nestjs/platform-fastify`), which we do not import. */
const FASTIFY_ROUTE_CONFIG_METADATA = '__fastify_route_config__';
/** The route config flag that marks the MCP routes. */
const MCP_ROUTE = 'mcpRoute';
const INSTALLED = Symbol.for('nest-mcp.fastifyRawBody');

/** Marks a controller method as an MCP route for Fastify (route config); nothing on Express. */
export const McpFastifyRoute = (): MethodDecorator =>
  SetMetadata(FASTIFY_ROUTE_CONFIG_METADATA, { [MCP_ROUTE]: true });

/**
 * What Fastify is shown instead of the MCP request's framing headers: a request without a
 * body, which it hands to the handler without looking for a parser or reading a byte.
 */
const BODYLESS = { 'content-type': undefined, 'content-length': '0', 'transfer-encoding': undefined };

interface FastifyLike {
  addHook(
    name: 'preParsing',
    hook: (
      request: { routeOptions?: { config?: Record<string, unknown> }; headers: unknown },
      reply: unknown,
      payload: unknown,
      done: (error: Error | null, payload?: unknown) => void,
    ) => void,
  ): void;
  [INSTALLED]?: boolean;
}

/**
 * Keeps Fastify's body parsing off the MCP routes, as `BodyParserExemption` does on Express.
 *
 * Why: Fastify reads and parses every body before the handler, with its own limit (1 MiB)
 * and its own 413, 415 and 400 answers. MCP bodies have our limit (`limits.maxMessageBytes`)
 * and every failure on the route is a JSON-RPC error, so the route reads Node's request
 * stream itself.
 *
 * How: a `preParsing` hook (added before Fastify is ready, so it applies to every route) shows
 * Fastify a bodyless request for the routes marked with `McpFastifyRoute()`, so it parses
 * nothing; the real request stream, its headers and its bytes stay untouched on `request.raw`
 * for the transport. Other routes are not affected.
 */
@Injectable()
export class FastifyRawBody implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter as typeof this.adapterHost.httpAdapter | null | undefined;
    if (!adapter || adapter.getType() !== 'fastify') return;
    const fastify = adapter.getInstance() as FastifyLike;
    // Several McpModule registrations share one Fastify instance: one hook serves them all.
    if (fastify[INSTALLED] === true) return;
    fastify[INSTALLED] = true;
    fastify.addHook('preParsing', (request, _reply, payload, done) => {
      if (request.routeOptions?.config?.[MCP_ROUTE] !== true) return done(null, payload);
      // Fastify's `headers` setter overlays the request's headers; `request.raw.headers` keeps the real ones.
      request.headers = BODYLESS;
      done(null, payload);
    });
  }
}
