import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
  type INestApplication,
  UseGuards,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  McpArgs,
  type McpAuthOptions,
  type McpContext,
  McpCtx,
  McpExecutionContext,
  McpModule,
  type McpModuleExtras,
  type McpModuleOptions,
  type McpPrincipal,
  McpPrompt,
  McpResource,
  McpScopes,
  McpTool,
} from 'nest-mcp';
import { z } from 'zod';
import { applyTestRouteSettings, createTestApp, routePath } from '../../support/test-platform.js';

/** A guard on a tool, as an app would write one: it reads the verified principal off the MCP context. */
@Injectable()
export class NotAliceGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const principal = McpExecutionContext.create(context).getContext().principal as McpPrincipal | undefined;
    if (principal?.subject === 'alice') throw new ForbiddenException('alice may not archive');
    return true;
  }
}

/** What the route guard below saw on `req.user`, in order. */
export const routeGuardSaw: unknown[] = [];

/** A route guard (the module's `guards` option), as passport-style code reads the user. */
@Injectable()
export class RecordingRouteGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ user?: McpPrincipal }>();
    routeGuardSaw.push(request.user?.subject);
    return true;
  }
}

/** Notes behind scopes: reads need `notes:read` (the module default), writes `notes:write`. */
@Injectable()
export class ProtectedNotes {
  private readonly notes = ['first note'];

  @McpTool({ name: 'list_notes', description: 'Lists notes' })
  list(): string {
    return this.notes.join('\n');
  }

  @McpTool({ name: 'create_note', input: z.object({ text: z.string() }) })
  @McpScopes('notes:write')
  create(@McpArgs() { text }: { text: string }): string {
    this.notes.push(text);
    return `created ${text}`;
  }

  @McpTool({ name: 'archive_notes' })
  @McpScopes('notes:write')
  @UseGuards(NotAliceGuard)
  archive(): string {
    return 'archived';
  }

  /** A long-running write as a task (the tasks extension): bound to the token's subject. */
  @McpTool({ name: 'export_notes', task: 'required' })
  @McpScopes('notes:write')
  async export(@McpCtx() ctx: McpContext): Promise<string> {
    await sleep(200, undefined, { signal: ctx.signal });
    return `exported ${this.notes.length} notes for ${(ctx.principal as McpPrincipal).subject}`;
  }

  @McpTool({ name: 'whoami' })
  @McpScopes()
  whoami(@McpCtx() ctx: McpContext): string {
    const principal = ctx.principal as McpPrincipal;
    const raw = ctx.rawRequest as { user?: McpPrincipal } | undefined;
    return JSON.stringify({
      subject: principal.subject,
      clientId: principal.clientId,
      scopes: principal.scopes,
      sameOnRequest: raw?.user === principal,
    });
  }

  @McpResource({ uri: 'notes://all', name: 'all_notes' })
  all(): string {
    return this.notes.join('\n');
  }

  @McpResource({ uriTemplate: 'notes://drafts/{id}', name: 'draft' })
  @McpScopes('notes:write')
  draft(@McpArgs() { variables }: { variables: Record<string, string> }): string {
    return `draft ${variables['id']}`;
  }

  @McpPrompt({ name: 'summarize' })
  summarize(): string {
    return 'Summarize the notes';
  }
}

export interface ProtectedApp {
  readonly app: INestApplication;
  /** The canonical resource URI (the MCP route's URL). */
  readonly resource: string;
  readonly origin: string;
  readonly url: string;
  readonly wsUrl: string;
  close(): Promise<void>;
}

/** A port free now, so the canonical resource URI can be known before the app listens. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Boots the notes as a protected resource of `issuer`, under this run's platform and prefix. */
export async function startProtectedApp(
  issuer: string,
  auth: Partial<McpAuthOptions> = {},
  options: Partial<McpModuleOptions> & McpModuleExtras = {},
  port?: number,
): Promise<ProtectedApp> {
  port ??= await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const resource = `${origin}${routePath()}`;
  const moduleRef = await Test.createTestingModule({
    imports: [
      McpModule.forRoot({
        serverInfo: { name: 'protected-notes', version: '1.0.0' },
        ...options,
        auth: {
          resource,
          authorizationServers: [issuer],
          defaultScopes: ['notes:read'],
          jwt: { clockToleranceSeconds: 0 },
          ...auth,
        },
      }),
    ],
    providers: [ProtectedNotes, NotAliceGuard, RecordingRouteGuard],
  }).compile();
  const app = createTestApp(moduleRef, { logger: false });
  applyTestRouteSettings(app);
  await app.listen(port, '127.0.0.1');
  return {
    app,
    resource,
    origin,
    url: resource,
    wsUrl: resource.replace('http:', 'ws:'),
    close: () => app.close(),
  };
}
