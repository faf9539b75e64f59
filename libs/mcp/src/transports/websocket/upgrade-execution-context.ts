import type { IncomingMessage } from 'node:http';
import type { ArgumentsHost, ContextType, ExecutionContext, Type } from '@nestjs/common';

type HttpArgumentsHost = ReturnType<ArgumentsHost['switchToHttp']>;
type RpcArgumentsHost = ReturnType<ArgumentsHost['switchToRpc']>;
type WsArgumentsHost = ReturnType<ArgumentsHost['switchToWs']>;

/**
 * What a route guard sees at a WebSocket upgrade: an HTTP context whose request is the
 * upgrade request, so a guard written for the HTTP route (`switchToHttp().getRequest()`)
 * works unchanged. There is no response yet: refusing is the guard's return or exception.
 */
export class UpgradeExecutionContext implements ExecutionContext {
  constructor(
    private readonly request: IncomingMessage,
    private readonly gatewayClass: Type,
    private readonly handler: (...args: never[]) => unknown,
  ) {}

  getClass<T = unknown>(): Type<T> {
    return this.gatewayClass as Type<T>;
  }

  getHandler(): (...args: never[]) => unknown {
    return this.handler;
  }

  getArgs<T extends unknown[] = unknown[]>(): T {
    return [this.request, undefined, undefined] as T;
  }

  getArgByIndex<T = unknown>(index: number): T {
    return (index === 0 ? this.request : undefined) as T;
  }

  getType<T extends string = ContextType>(): T {
    return 'http' as T;
  }

  switchToHttp(): HttpArgumentsHost {
    const request = this.request;
    return {
      getRequest: <T>() => request as T,
      getResponse: <T>() => undefined as T,
      getNext: <T>() => undefined as T,
    };
  }

  switchToRpc(): RpcArgumentsHost {
    return { getData: <T>() => undefined as T, getContext: <T>() => undefined as T };
  }

  switchToWs(): WsArgumentsHost {
    return {
      getClient: <T>() => undefined as T,
      getData: <T>() => undefined as T,
      getPattern: () => '',
    };
  }
}
