import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { McpExecutionContext, scopesOf } from 'nest-mcp';
import type { Principal } from './principal.js';
import { NOTES_WRITE } from './resource-server.options.js';

/**
 * Lets only editors through. The same class guards an HTTP controller or an MCP tool: for
 * MCP the principal comes from the handler context, whichever transport carried the call.
 * As a protected resource (`MCP_AUTH_ISSUER`), an editor is a token holding `notes:write`.
 */
@Injectable()
export class EditorGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const principal =
      context.getType<string>() === 'mcp'
        ? (McpExecutionContext.create(context).getContext().principal as Principal | undefined)
        : context.switchToHttp().getRequest<{ user?: Principal }>().user;
    const editor = principal?.roles?.includes('editor') === true || scopesOf(principal).includes(NOTES_WRITE);
    if (!editor) {
      throw new ForbiddenException('Only editors may do this: send Authorization: Bearer <editor token>');
    }
    return true;
  }
}
