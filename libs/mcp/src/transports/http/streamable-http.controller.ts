import { Controller, Delete, Get, Options, Patch, Post, Put, Req, Res, type Type } from '@nestjs/common';
import { McpFastifyRoute } from '../../platforms/fastify/fastify-raw-body.js';
import { nodeExchangeOf } from '../../platforms/http-exchange.js';
import { StreamableHttpService } from './streamable-http.service.js';

/**
 * The MCP route's controller, created per module registration because the route is an
 * option. It hands Node's request and response (unwrapped from the platform's, see
 * `nodeExchangeOf`) to the service; `@Res()` keeps Nest from writing the response. The
 * methods the binding does not define are declared one by one (405 with `Allow`): Fastify
 * refuses `@All()` beside routes on the same path. HEAD is served as GET by both platforms.
 */
export function createStreamableHttpController(route: string): Type {
  @Controller(route)
  class StreamableHttpController {
    constructor(private readonly http: StreamableHttpService) {}

    @Post()
    @McpFastifyRoute()
    post(@Req() request: unknown, @Res() response: unknown): Promise<void> {
      const { req, res } = nodeExchangeOf(request, response);
      return this.http.handlePost(req, res).catch((error: unknown) => this.http.fail(res, error));
    }

    @Get()
    @McpFastifyRoute()
    get(@Req() request: unknown, @Res() response: unknown): Promise<void> {
      const { req, res } = nodeExchangeOf(request, response);
      return this.http.handleGet(req, res).catch((error: unknown) => this.http.fail(res, error));
    }

    @Delete()
    @McpFastifyRoute()
    delete(@Req() request: unknown, @Res() response: unknown): Promise<void> {
      const { req, res } = nodeExchangeOf(request, response);
      return this.http.handleDelete(req, res).catch((error: unknown) => this.http.fail(res, error));
    }

    // One method each: a second route decorator on the same method replaces the first.
    @Put()
    @McpFastifyRoute()
    put(@Req() request: unknown, @Res() response: unknown): void {
      this.other(request, response);
    }

    @Patch()
    @McpFastifyRoute()
    patch(@Req() request: unknown, @Res() response: unknown): void {
      this.other(request, response);
    }

    @Options()
    @McpFastifyRoute()
    options(@Req() request: unknown, @Res() response: unknown): void {
      this.other(request, response);
    }

    private other(request: unknown, response: unknown): void {
      const { req, res } = nodeExchangeOf(request, response);
      this.http.handleOther(req, res);
    }
  }
  return StreamableHttpController;
}
