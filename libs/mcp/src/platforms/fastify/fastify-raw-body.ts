import { Readable } from 'node:stream';
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

/** What Fastify's parser is given instead of the MCP body: a JSON `{}` it parses and forgets. */
const STAND_IN_HEADERS = { 'content-type': 'application/json', 'content-length': '2' };
const STAND_IN_BODY = Buffer.from('{}');

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
 * How: a `preParsing` hook (added before Fastify is ready, so it applies to every route) hands
 * Fastify's parser a two-byte `{}` under stand-in headers for requests to routes marked with
 * `McpFastifyRoute()`; the real request stream, its headers and its bytes stay untouched on
 * `request.raw` for the transport. Other routes are not affected.
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
      // Fastify's `headers` setter adds to the request's headers; `request.raw.headers` keeps the real ones.
      request.headers = STAND_IN_HEADERS;
      done(null, Readable.from([STAND_IN_BODY]));
    });
  }
}
