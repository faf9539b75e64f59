import { Controller, type Provider, type Type } from '@nestjs/common';

export const streamableHttpProviders: Provider[] = [];

export function createStreamableHttpController(route: string): Type {
  @Controller(route)
  class StreamableHttpRouteController {}
  return StreamableHttpRouteController;
}
