import { type DynamicModule, RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, MODULE_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { PATTERN_METADATA } from '@nestjs/microservices/constants';
import {
  AUTHORIZE_METADATA,
  HANDLER_ACTS_METADATA,
  HANDLER_RECORDS_METADATA,
  type HandlerActsRule,
  PUBLIC_METADATA,
} from '@rf/platform-policy';
import { AUTHENTICATED_METADATA } from '../nest/authenticated.decorator';

export interface RouteGuarding {
  readonly controller: string;
  readonly handler: string;
  /** `GET`, `POST`, …; `ALL` for a handler of every method. */
  readonly method: string;
  readonly path: string;
  readonly guard: 'authorize' | 'public' | 'authenticated' | 'none';
  readonly action?: string;
}

export interface EventHandlerGuarding {
  readonly controller: string;
  readonly handler: string;
  readonly patterns: readonly string[];
  /** `acts`: decided by the gate (`@Acts`); `records`: bookkeeping (`@OnlyRecords`); `none`: neither. */
  readonly guard: 'acts' | 'records' | 'none';
  readonly action?: string;
}

type ModuleLike = Type | DynamicModule | Promise<DynamicModule> | undefined;

/**
 * Every HTTP route a module tree declares, with how it is guarded. Reads decorator metadata only:
 * nothing is instantiated, so any service module can be checked without its database or broker.
 */
export function listRoutes(root: Type | DynamicModule): RouteGuarding[] {
  return [...controllersOf(root)].flatMap(routesOf);
}

/** Every event handler (`@EventPattern`) a module tree declares, with whether it acts or only records. */
export function listEventHandlers(root: Type | DynamicModule): EventHandlerGuarding[] {
  return [...controllersOf(root)].flatMap((controller) => {
    const prototype = controller.prototype as Record<string, unknown>;
    return Object.getOwnPropertyNames(prototype).flatMap((name) => {
      const handler = prototype[name];
      if (name === 'constructor' || typeof handler !== 'function') return [];
      const patterns = Reflect.getMetadata(PATTERN_METADATA, handler) as unknown[] | undefined;
      if (!patterns) return [];
      const acts = Reflect.getMetadata(HANDLER_ACTS_METADATA, handler) as HandlerActsRule | undefined;
      const records = Reflect.getMetadata(HANDLER_RECORDS_METADATA, handler) as string | undefined;
      return [
        {
          controller: controller.name,
          handler: name,
          patterns: patterns.flat().map(String),
          guard: acts ? 'acts' : records ? 'records' : 'none',
          ...(acts ? { action: acts.action } : {}),
        },
      ];
    });
  });
}

function controllersOf(root: Type | DynamicModule): Set<Type> {
  const seen = new Set<unknown>();
  const controllers = new Set<Type>();
  const visit = (entry: ModuleLike): void => {
    if (!entry || entry instanceof Promise || seen.has(entry)) return;
    seen.add(entry);
    const dynamic = 'module' in entry ? entry : undefined;
    const moduleClass = dynamic ? dynamic.module : (entry as Type);
    const metadata = (key: string) => (Reflect.getMetadata(key, moduleClass) as unknown[] | undefined) ?? [];
    for (const c of [...metadata(MODULE_METADATA.CONTROLLERS), ...(dynamic?.controllers ?? [])]) {
      controllers.add(c as Type);
    }
    for (const i of [...metadata(MODULE_METADATA.IMPORTS), ...(dynamic?.imports ?? [])])
      visit(i as ModuleLike);
  };
  visit(root);
  return controllers;
}

function routesOf(controller: Type): RouteGuarding[] {
  const prototype = controller.prototype as Record<string, unknown>;
  const base = (Reflect.getMetadata(PATH_METADATA, controller) as string | undefined) ?? '';
  return Object.getOwnPropertyNames(prototype).flatMap((name) => {
    const handler = prototype[name];
    if (name === 'constructor' || typeof handler !== 'function') return [];
    const path = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
    const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
    if (path === undefined || method === undefined) return [];
    const read = (key: symbol) =>
      (Reflect.getMetadata(key, handler) as unknown) ?? (Reflect.getMetadata(key, controller) as unknown);
    const authorize = read(AUTHORIZE_METADATA) as { action: string } | undefined;
    const guard = read(PUBLIC_METADATA)
      ? 'public'
      : authorize
        ? 'authorize'
        : read(AUTHENTICATED_METADATA)
          ? 'authenticated'
          : 'none';
    return [
      {
        controller: controller.name,
        handler: name,
        method: RequestMethod[method],
        path: `/${[base, ...[path].flat()]
          .flatMap((p) => p.split('/'))
          .filter((p) => p.length > 0)
          .join('/')}`,
        guard,
        ...(authorize ? { action: authorize.action } : {}),
      },
    ];
  });
}
