import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { Principal } from './principal.js';

/**
 * A stand-in for real authentication (passport, an OIDC proxy, ...): a request bearing
 * `Authorization: Bearer <NOTES_EDITOR_TOKEN>` is the editor. It only sets `req.user`;
 * the MCP transport hands that on to handlers and guards as the principal.
 */
@Injectable()
export class BearerPrincipalMiddleware implements NestMiddleware {
  private readonly editorToken = process.env['NOTES_EDITOR_TOKEN'] ?? 'editor-secret';

  use(req: Request & { user?: Principal }, _res: Response, next: NextFunction): void {
    const header = req.headers.authorization;
    if (header === `Bearer ${this.editorToken}`) req.user = { name: 'editor', roles: ['editor'] };
    next();
  }
}
