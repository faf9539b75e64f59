import type { IncomingMessage } from 'node:http';
import { Inject, Injectable, Logger, type OnModuleInit, RequestMethod } from '@nestjs/common';
import { ApplicationConfig, HttpAdapterHost } from '@nestjs/core';
import { MCP_RESOLVED_OPTIONS } from '../../mcp.constants.js';
import type { ResolvedMcpOptions } from '../../mcp.options.js';
import { mcpRoutePaths } from '../mcp-route-paths.js';

type Middleware = (req: IncomingMessage, res: unknown, next: (error?: unknown) => void) => void;
interface RouterLayer {
  handle?: Middleware & { name: string };
}

/** The parsers `NestFactory.create()` installs on Express unless `bodyParser: false`. */
const NEST_PARSERS = new Set(['jsonParser', 'urlencodedParser']);

/**
 * Keeps Nest's global body parsers off the MCP route.
 *
 * Why: by default the Express adapter parses every JSON body before routing, with a
 * 100 kB limit and its own error answers. MCP messages are legitimately larger (the
 * default limit here is 4 MiB, `limits.maxMessageBytes`), and every failure on the route
 * must be a JSON-RPC error (413 before parsing, 400 + -32700, 415). Raising the parser's
 * limit app-wide would change the user's other routes; asking users for
 * `bodyParser: false` breaks the default `NestFactory.create(AppModule)`.
 *
 * How: Nest registers its parsers on the Express router before module init, so when this
 * provider's `onModuleInit` runs they are on the router stack; each is wrapped (keeping
 * its name, which Nest uses to detect an applied parser) so that requests to the MCP
 * route skip it and the controller reads the raw stream itself, counting bytes. Other
 * routes are untouched. If a parser the app installed itself still consumed the body,
 * the controller uses `req.body` (see `request-body.reader.ts`).
 */
@Injectable()
export class BodyParserExemption implements OnModuleInit {
  private readonly logger = new Logger('McpHttp');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly config: ApplicationConfig,
    @Inject(MCP_RESOLVED_OPTIONS) private readonly options: ResolvedMcpOptions,
  ) {}

  onModuleInit(): void {
    // An application context (stdio) has no HTTP adapter: the host holds null, not undefined.
    const adapter = this.adapterHost.httpAdapter as typeof this.adapterHost.httpAdapter | null | undefined;
    if (!adapter || adapter.getType() !== 'express') return;
    const stack = (adapter.getInstance() as { router?: { stack?: RouterLayer[] } }).router?.stack;
    if (!Array.isArray(stack)) return;
    const paths = this.routePaths();
    for (const layer of stack) {
      const parser = layer.handle;
      if (parser === undefined || !NEST_PARSERS.has(parser.name)) continue;
      layer.handle = exempting(parser, paths);
    }
    this.logger.debug(`Global body parsers skip ${[...paths].join(', ')}`);
  }

  private routePaths(): Set<string> {
    const route = this.options.route;
    return new Set(
      [RequestMethod.POST, RequestMethod.GET, RequestMethod.DELETE].flatMap((method) =>
        mcpRoutePaths(this.config, route, method),
      ),
    );
  }
}

function exempting(parser: Middleware & { name: string }, paths: Set<string>): Middleware & { name: string } {
  const wrapped = (req: IncomingMessage, res: unknown, next: (error?: unknown) => void) => {
    if (paths.has(pathOf(req.url ?? ''))) next();
    else parser(req, res, next);
  };
  Object.defineProperty(wrapped, 'name', { value: parser.name });
  return wrapped as Middleware & { name: string };
}

/** The path of a request target, without query and trailing slash. */
export function pathOf(url: string): string {
  const query = url.indexOf('?');
  let path = query === -1 ? url : url.slice(0, query);
  while (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  return path;
}
