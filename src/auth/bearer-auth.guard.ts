import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { Principal } from './principal.js';

/**
 * A stand-in for real authentication (passport, an OIDC proxy, ...): a request bearing
 * `Authorization: Bearer <NOTES_EDITOR_TOKEN>` is the editor; anyone else is anonymous and
 * still let in. It is a route guard of the MCP module, so it runs for every HTTP request
 * and at every WebSocket upgrade alike (middleware does not run on upgrades); what it puts
 * on `req.user` is the principal tool guards see, whichever transport carries the call.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  private readonly editorToken = process.env['NOTES_EDITOR_TOKEN'] ?? 'editor-secret';

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request & { user?: Principal }>();
    if (req.headers.authorization === `Bearer ${this.editorToken}`) {
      req.user = { name: 'editor', roles: ['editor'] };
    }
    return true;
  }
}
