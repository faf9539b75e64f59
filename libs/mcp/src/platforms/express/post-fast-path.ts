import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, RequestMethod } from '@nestjs/common';
import { GUARDS_METADATA, INTERCEPTORS_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ApplicationConfig, DiscoveryService, HttpAdapterHost } from '@nestjs/core';
import { MCP_RESOLVED_OPTIONS } from '../../mcp.constants.js';
import type { ResolvedMcpOptions } from '../../mcp.options.js';
import { StreamableHttpService } from '../../transports/http/streamable-http.service.js';
import { mcpRoutePaths } from '../mcp-route-paths.js';
import { pathOf } from './body-parser-exemption.js';

/** The parsers `NestFactory.create()` installs (wrapped by `BodyParserExemption`, names kept). */
const NEST_PARSERS = new Set(['jsonParser', 'urlencodedParser']);

interface RouterLayer {
  readonly route?: unknown;
  readonly handle?: { readonly name: string };
  match?(path: string): boolean;
}

interface ExpressApp {
  (req: IncomingMessage, res: ServerResponse): void;
  readonly router?: { readonly stack?: RouterLayer[] };
  readonly request: object;
  readonly response: object;
  enabled(setting: string): boolean;
}

/**
 * Serves MCP POSTs straight from the HTTP server's `request` event when nothing on the way
 * through Express and Nest could act on them.
 *
 * Why: the MCP controller takes the raw request and response (`@Res()`), so for a POST the
 * Express router walk (every layer's path match), Nest's route proxy and its execution
 * context (guard, interceptor and pipe plumbing with nothing to run) produce nothing the
 * answer depends on, yet measured (`npm run bench`) they cost about twice the MCP work
 * itself: the same `tools/call` answered ~2.5x faster without them.
 *
 * When: decided once at bootstrap, after Nest registered every route and middleware, and
 * only if all of these hold, so that skipping is unobservable:
 *  - the adapter is Express and no versioning is configured;
 *  - no global guards, interceptors or pre-request hooks (static or `APP_*` providers);
 *    global pipes do not apply to `@Req()`/`@Res()`, and no exception ever leaves the
 *    service, so global pipes and filters have nothing to do here;
 *  - every Express layer before the MCP route's own is one of Nest's body parsers (which
 *    skip the route anyway) or a route that does not match the MCP path: any middleware
 *    (`app.use`, Nest `MiddlewareConsumer`, CORS, helmet, passport...) turns it off.
 * Otherwise (and for GET, DELETE and other methods always) requests take the normal path.
 * `http.fastPath: false` keeps it off regardless, for what the detection cannot see.
 * The request and response still get Express's prototypes, so `ctx.rawRequest` is the
 * Express request handlers expect.
 */
@Injectable()
export class PostFastPath implements OnApplicationBootstrap {
  private readonly logger = new Logger('McpHttp');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly config: ApplicationConfig,
    private readonly http: StreamableHttpService,
    private readonly discovery: DiscoveryService,
    @Inject(MCP_RESOLVED_OPTIONS) private readonly options: ResolvedMcpOptions,
  ) {}

  onApplicationBootstrap(): void {
    const adapter = this.adapterHost.httpAdapter as typeof this.adapterHost.httpAdapter | null | undefined;
    if (!adapter || adapter.getType() !== 'express' || !this.options.transports.streamableHttp) return;
    if (!this.options.http.fastPath) {
      this.logger.debug('MCP POSTs go through the Nest router (http.fastPath is false)');
      return;
    }
    const app = adapter.getInstance() as ExpressApp;
    const server = adapter.getHttpServer() as Server | undefined;
    const decision = this.decide(app);
    if (typeof decision !== 'object' || server === undefined) {
      this.logger.debug(`MCP POSTs go through the Nest router (${decision ?? 'no HTTP server'})`);
      return;
    }
    const paths = new Set([decision.path]);
    const poweredBy = app.enabled('x-powered-by');
    const service = this.http;
    for (const listener of server.listeners('request') as Array<(...args: unknown[]) => void>) {
      if (listener !== app) continue;
      server.off('request', listener);
      server.on('request', (req: IncomingMessage, res: ServerResponse) => {
        if (req.method !== 'POST' || !paths.has(pathOf(req.url ?? ''))) return app(req, res);
        // What Express's app.handle sets up, so handlers see an Express request.
        Object.setPrototypeOf(req, app.request);
        Object.setPrototypeOf(res, app.response);
        (req as { res?: unknown }).res = res;
        (res as { req?: unknown }).req = req;
        if (poweredBy) res.setHeader('X-Powered-By', 'Express');
        service.handlePost(req, res).catch((error: unknown) => service.fail(res, error));
      });
    }
    this.logger.debug(`MCP POSTs on ${[...paths].join(', ')} skip the Nest router (nothing on it applies)`);
  }

  /**
   * The path our POST route is registered on when nothing could act on an MCP POST before
   * it, or why the fast path must stay off.
   */
  private decide(app: ExpressApp): { path: string } | string {
    const config = this.config;
    if (config.getVersioning() !== undefined) return 'versioning';
    if (config.getGlobalGuards().length > 0 || config.getGlobalRequestGuards().length > 0)
      return 'global guards';
    if (config.getGlobalInterceptors().length > 0 || config.getGlobalRequestInterceptors().length > 0) {
      return 'global interceptors';
    }
    if (config.getGlobalPreRequestHooks().length > 0) return 'pre-request hooks';
    if (this.routeHasEnhancers()) return 'route guards or interceptors';
    const stack = app.router?.stack;
    if (!Array.isArray(stack)) return 'unknown router';
    // With a global prefix the route is `/<prefix><route>` unless excluded: take the one registered.
    const candidates = this.routePaths();
    const ours = stack.find((layer) => candidates.has(routePathOf(layer) ?? ''));
    const path = ours === undefined ? undefined : routePathOf(ours)!;
    if (path === undefined) return 'MCP route not found';
    const hooks = this.adapterHost.httpAdapter as unknown as {
      onRequestHook?: unknown;
      onResponseHook?: unknown;
    };
    for (const [index, layer] of stack.entries()) {
      if (layer === ours) return { path };
      if (layer.route === undefined) {
        if (NEST_PARSERS.has(layer.handle?.name ?? '')) continue;
        // Nest's ExpressAdapter installs its request/response hook runner first; with no hook set it only calls next().
        if (index === 0 && isAdapterHookRunner(layer)) {
          if (hooks.onRequestHook !== undefined || hooks.onResponseHook !== undefined) return 'adapter hooks';
          continue;
        }
        return `middleware ${layer.handle?.name || '(anonymous)'}`;
      }
      if (layer.match?.(path) ?? true) return 'another route matches the MCP path first';
    }
    return 'MCP route not found';
  }

  /** Guards or interceptors on the MCP controller (the `guards` option puts them there). */
  private routeHasEnhancers(): boolean {
    for (const wrapper of this.discovery.getControllers()) {
      const type = wrapper.metatype as (new (...args: never[]) => unknown) | undefined | null;
      if (typeof type !== 'function') continue;
      const path = Reflect.getMetadata(PATH_METADATA, type) as unknown;
      if (typeof path !== 'string' || pathOf(`/${path.replace(/^\/+/, '')}`) !== this.options.route) continue;
      const targets = [
        type,
        ...Object.getOwnPropertyNames(type.prototype).map(
          (name) => (type.prototype as Record<string, unknown>)[name],
        ),
      ];
      for (const target of targets) {
        if (typeof target !== 'function') continue;
        const guards = Reflect.getMetadata(GUARDS_METADATA, target) as unknown[] | undefined;
        const interceptors = Reflect.getMetadata(INTERCEPTORS_METADATA, target) as unknown[] | undefined;
        if ((guards?.length ?? 0) > 0 || (interceptors?.length ?? 0) > 0) return true;
      }
    }
    return false;
  }

  private routePaths(): Set<string> {
    return new Set(mcpRoutePaths(this.config, this.options.route, RequestMethod.POST));
  }
}

function isAdapterHookRunner(layer: RouterLayer): boolean {
  const source = String(layer.handle);
  return source.includes('onResponseHook') && source.includes('onRequestHook');
}

function routePathOf(layer: RouterLayer): string | undefined {
  const path = (layer.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? pathOf(path) : undefined;
}
