import { Controller, Delete, Get, Inject, Patch, Post, Put, Req, Res, type Type } from '@nestjs/common';
import { Authorize, callerScope } from '@rf/platform-auth';
import type { Request, Response } from 'express';
import type { GatewayRoute, HttpMethod } from '../domain/gateway-route';
import type { UpstreamName } from '../gateway.config';
import { UPSTREAM_PROXY } from '../gateway.tokens';
import type { UpstreamProxy } from '../infrastructure/http/upstream.proxy';

const METHOD_DECORATORS: Readonly<Record<HttpMethod, (path: string) => MethodDecorator>> = {
  GET: Get,
  POST: Post,
  PUT: Put,
  PATCH: Patch,
  DELETE: Delete,
};

/**
 * One Nest controller per route of the table, one handler per endpoint, each `@Authorize`d with
 * the endpoint's action: routing, authorisation and the route-coverage test all see the real
 * routes. Methods and paths no endpoint lists answer 404.
 */
export function routeProxyControllers(routes: readonly GatewayRoute[]): Type[] {
  return routes.map(routeProxyController);
}

function routeProxyController(route: GatewayRoute): Type {
  @Controller(`api/v1/${route.prefix}`)
  class RouteProxyController {
    constructor(@Inject(UPSTREAM_PROXY) readonly proxy: UpstreamProxy) {}
  }
  const name = `${route.prefix[0]?.toUpperCase() ?? ''}${route.prefix.slice(1)}ProxyController`;
  Object.defineProperty(RouteProxyController, 'name', { value: name });
  const prototype = RouteProxyController.prototype as unknown as Record<string, unknown>;
  const upstream = route.upstream as UpstreamName;

  route.endpoints.forEach((endpoint, i) => {
    const key = `${endpoint.method.toLowerCase()}${i}`;
    prototype[key] = async function forward(this: RouteProxyController, req: Request, res: Response) {
      await this.proxy.forward(upstream, req, res, endpoint.delegatesTo ?? []);
    };
    const descriptor = Object.getOwnPropertyDescriptor(prototype, key) as PropertyDescriptor;
    Req()(prototype, key, 0);
    Res()(prototype, key, 1);
    METHOD_DECORATORS[endpoint.method](endpoint.path)(prototype, key, descriptor);
    Authorize(endpoint.action, callerScope(route.kind))(prototype, key, descriptor);
  });

  return RouteProxyController;
}
