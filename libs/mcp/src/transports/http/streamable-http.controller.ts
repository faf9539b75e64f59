import type { IncomingMessage, ServerResponse } from 'node:http';
import { All, Controller, Delete, Get, Post, Req, Res, type Type } from '@nestjs/common';
import { StreamableHttpService } from './streamable-http.service.js';

/**
 * The MCP route's controller, created per module registration because the route is an
 * option. It hands Express's request and response to the service untouched (`@Res()`
 * keeps Nest from writing the response); `@All()` comes last so it only catches the
 * methods the binding does not define (405 with `Allow`).
 */
export function createStreamableHttpController(route: string): Type {
  @Controller(route)
  class StreamableHttpController {
    constructor(private readonly http: StreamableHttpService) {}

    @Post()
    post(@Req() req: IncomingMessage, @Res() res: ServerResponse): Promise<void> {
      return this.http.handlePost(req, res).catch((error: unknown) => this.http.fail(res, error));
    }

    @Get()
    get(@Req() req: IncomingMessage, @Res() res: ServerResponse): Promise<void> {
      return this.http.handleGet(req, res).catch((error: unknown) => this.http.fail(res, error));
    }

    @Delete()
    delete(@Req() req: IncomingMessage, @Res() res: ServerResponse): Promise<void> {
      return this.http.handleDelete(req, res).catch((error: unknown) => this.http.fail(res, error));
    }

    @All()
    other(@Req() req: IncomingMessage, @Res() res: ServerResponse): void {
      this.http.handleOther(req, res);
    }
  }
  return StreamableHttpController;
}
