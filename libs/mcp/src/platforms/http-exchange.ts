import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The one seam between Nest's HTTP platforms and our HTTP transports. Express hands handlers
 * Node's request and response (extended); Fastify wraps them in its own request and reply.
 * Our transports are written once, on Node's objects: this turns whatever the platform gave
 * into those.
 */

/** Node's request, with what guards left on the platform's request (`user`). */
export type McpHttpRequest = IncomingMessage & { user?: unknown };

const PLATFORM_REQUEST = Symbol('mcp.platformRequest');

export interface NodeExchange {
  readonly req: McpHttpRequest;
  readonly res: ServerResponse;
}

interface FastifyRequestLike {
  readonly raw: IncomingMessage;
  readonly user?: unknown;
}

interface FastifyReplyLike {
  readonly raw: ServerResponse;
  hijack(): unknown;
  getHeaders(): Record<string, number | string | string[] | undefined>;
}

/**
 * Node's request and response under a handler's `@Req()` and `@Res()`. On Fastify the reply
 * is hijacked (we write the response ourselves), the headers hooks already set on it (CORS)
 * are carried onto Node's response, and `user` onto Node's request.
 */
export function nodeExchangeOf(req: unknown, res: unknown): NodeExchange {
  if (!isFastifyReply(res)) return { req: req as McpHttpRequest, res: res as ServerResponse };
  const platformRequest = req as FastifyRequestLike;
  const nodeRequest = platformRequest.raw as McpHttpRequest & { [PLATFORM_REQUEST]?: unknown };
  nodeRequest.user = platformRequest.user;
  nodeRequest[PLATFORM_REQUEST] = platformRequest;
  res.hijack();
  const nodeResponse = res.raw;
  for (const [name, value] of Object.entries(res.getHeaders())) {
    if (value !== undefined) nodeResponse.setHeader(name, value);
  }
  return { req: nodeRequest, res: nodeResponse };
}

/**
 * Sets the verified principal (`auth`) as `user` on Node's request and on the platform's
 * request, where guards, `ctx.rawRequest` and passport-style code look for it.
 */
export function setRequestPrincipal(req: McpHttpRequest, principal: unknown): void {
  req.user = principal;
  const platformRequest = (req as { [PLATFORM_REQUEST]?: { user?: unknown } })[PLATFORM_REQUEST];
  if (platformRequest !== undefined) platformRequest.user = principal;
}

/** The request object of the platform (what Express or Fastify handlers know), for `ctx.rawRequest`. */
export function platformRequestOf(req: McpHttpRequest): unknown {
  return (req as { [PLATFORM_REQUEST]?: unknown })[PLATFORM_REQUEST] ?? req;
}

function isFastifyReply(res: unknown): res is FastifyReplyLike {
  return typeof (res as { hijack?: unknown }).hijack === 'function' && 'raw' in (res as object);
}
