import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { IS_PUBLIC } from '../../src/core/http/public.decorator';

export interface Route {
  method: string;
  url: string;
}

/**
 * Every route Fastify will answer, read from its own route table
 * (printRoutes draws it as a tree: each line adds a segment to its parent's).
 */
export function fastifyRoutes(app: NestFastifyApplication): Route[] {
  const text = app.getHttpAdapter().getInstance().printRoutes({ commonPrefix: false });
  const routes: Route[] = [];
  const stack: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^((?:│ {3}| {4})*)(?:├── |└── )(.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1].length / 4;
    stack.length = depth;
    stack.push(m[2]);
    for (const method of m[3]?.split(', ') ?? []) routes.push({ method, url: stack.join('') });
  }
  return routes;
}

export interface HandlerRoute {
  controller: string;
  handler: string;
  method: string;
  /** Controller path + handler path, without the global prefix. */
  path: string;
  isPublic: boolean;
  /** Metadata under `key`, the handler's first, else its controller's (as guards read it). */
  metadata<T>(key: symbol | string): T | undefined;
}

/** Every route handler of every Nest controller (inherited ones too), with its @Public() marking. */
export function nestHandlers(app: NestFastifyApplication): HandlerRoute[] {
  const scanner = new MetadataScanner();
  const found: HandlerRoute[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!type) continue;
      const base = String(Reflect.getMetadata(PATH_METADATA, type) ?? '');
      const classPublic = Reflect.getMetadata(IS_PUBLIC, type) === true;
      const proto = type.prototype as Record<string, unknown>;
      for (const name of scanner.getAllMethodNames(proto)) {
        const fn = proto[name] as object;
        const method = Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod | undefined;
        if (method === undefined) continue;
        const sub = String(Reflect.getMetadata(PATH_METADATA, fn) ?? '');
        found.push({
          controller: type.name,
          handler: name,
          method: RequestMethod[method],
          path: `/${[base, sub].filter((s) => s && s !== '/').join('/')}`.replace(/\/+/g, '/'),
          isPublic: classPublic || Reflect.getMetadata(IS_PUBLIC, fn) === true,
          metadata: <T>(key: symbol | string) =>
            (Reflect.getMetadata(key, fn) ?? Reflect.getMetadata(key, type)) as T | undefined,
        });
      }
    }
  }
  return found;
}

/** A concrete URL for a route pattern (parameters and wildcards filled in). */
export function concreteUrl(url: string): string {
  return url
    .replace(/:column/g, 'status')
    .replace(/:[A-Za-z]+/g, '1')
    .replace(/\*/g, 'x');
}
