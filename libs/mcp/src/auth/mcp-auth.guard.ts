import type { IncomingMessage } from 'node:http';
import { type CanActivate, type ExecutionContext, HttpException, Injectable } from '@nestjs/common';
import { WIRE_ERRORS } from '../errors/wire-errors.js';
import { McpAuthAdmission } from './mcp-auth.admission.js';

interface PlatformRequest {
  raw?: IncomingMessage;
  user?: unknown;
}

interface PlatformResponse {
  /** Fastify's reply. */
  header?(name: string, value: string): unknown;
  /** Express's (Node's) response. */
  setHeader?(name: string, value: string): unknown;
}

/**
 * Runs the token check before the route's own guards (`guards` option), so they see the
 * verified principal on `req.user` over HTTP as they do at the WebSocket Upgrade (where the
 * check runs before them anyway). `McpModule` puts it first on the MCP controller when there
 * are route guards; without `auth` it lets everything through. A refusal is the same answer
 * the transport gives (status, `WWW-Authenticate`, JSON-RPC error body), thrown as an
 * `HttpException` for Nest's exception layer to send. The transport checks again: the token is
 * then in the verified-token cache.
 */
@Injectable()
export class McpAuthGuard implements CanActivate {
  constructor(private readonly auth: McpAuthAdmission) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.auth.enabled || context.getType() !== 'http') return true;
    const http = context.switchToHttp();
    const request = http.getRequest<PlatformRequest & IncomingMessage>();
    const nodeRequest = request.raw ?? request;
    // The polling extension checks its own requests (each carries the token) in its admission.
    const pending = this.auth.admit(nodeRequest);
    const admission = pending instanceof Promise ? await pending : pending;
    if (admission.admitted) {
      if (admission.principal !== undefined) {
        request.user = admission.principal;
        (nodeRequest as PlatformRequest).user = admission.principal;
      }
      return true;
    }
    const { challenge } = admission;
    const response = http.getResponse<PlatformResponse>();
    for (const [name, value] of Object.entries(challenge.headers)) {
      if (typeof response.header === 'function') response.header(name, value);
      else response.setHeader?.(name, value);
    }
    throw new HttpException(
      {
        jsonrpc: '2.0',
        id: null,
        error: { code: WIRE_ERRORS[challenge.kind].jsonRpcCode, message: challenge.message },
      },
      challenge.status,
    );
  }
}
