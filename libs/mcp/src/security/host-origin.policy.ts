import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { MCP_RESOLVED_OPTIONS } from '../mcp.constants.js';
import type { ResolvedMcpOptions } from '../mcp.options.js';
import { createHostCheck, defaultHostCheck, type HostCheck } from './host-validation.js';
import { createOriginCheck, type OriginCheck } from './origin-validation.js';

/** Why a request was turned away by its `Host` or `Origin`. */
export interface HostOriginRefusal {
  readonly kind: 'forbidden-host' | 'forbidden-origin';
  /** Safe to send to the client. */
  readonly message: string;
  /** The `reason` label of the refused-connections metric. */
  readonly reason: 'host' | 'origin';
}

/**
 * The DNS-rebinding gates every transport on the MCP route applies before anything else
 * (Streamable HTTP requests, WebSocket upgrades, polling requests), one instance per
 * registration so they all decide alike.
 */
@Injectable()
export class HostOriginPolicy {
  private readonly originCheck: OriginCheck;
  /**
   * Decided on the first request: the default depends on the address the server is bound to,
   * which is known only once it listens.
   */
  private hostCheck: HostCheck | undefined | null = null;

  constructor(
    @Inject(MCP_RESOLVED_OPTIONS) private readonly options: ResolvedMcpOptions,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    this.originCheck = createOriginCheck(options.security.allowedOrigins);
  }

  /** The refusal for this request's `Host` or `Origin`, or undefined when both may proceed. */
  check(req: IncomingMessage): HostOriginRefusal | undefined {
    const hostCheck = this.hostCheck === null ? this.decideHostCheck(req) : this.hostCheck;
    const hostProblem = hostCheck?.(req.headers.host);
    if (hostProblem !== undefined) return { kind: 'forbidden-host', message: hostProblem, reason: 'host' };
    const originProblem = this.originCheck(req.headers.origin);
    if (originProblem !== undefined) {
      return { kind: 'forbidden-origin', message: originProblem, reason: 'origin' };
    }
    return undefined;
  }

  private decideHostCheck(req: IncomingMessage): HostCheck | undefined {
    const allowed = this.options.security.allowedHosts;
    if (allowed === '*') return (this.hostCheck = undefined);
    if (Array.isArray(allowed)) return (this.hostCheck = createHostCheck(allowed));
    const server = this.adapterHost.httpAdapter?.getHttpServer() as { address?: () => unknown } | undefined;
    const address = server?.address?.() as AddressInfo | string | null | undefined;
    const bound = typeof address === 'object' && address !== null ? address.address : req.socket.localAddress;
    return (this.hostCheck = defaultHostCheck(bound));
  }
}
