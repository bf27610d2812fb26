import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { IS_PUBLIC } from '../../src/core/http/public.decorator';
import type { RoutePolicy } from '../../src/modules/permission/policy.decorator';
import { POLICY } from '../../src/modules/permission/policy.decorator';
import { fastifyRoutes } from './routes';

/** One HTTP route of the running app, from its Nest handler, with what it declares. */
export interface PolicyRoute {
  controller: string;
  handler: string;
  method: string;
  /** Controller path + handler path, without the global prefix ("/documents/:id"). */
  path: string;
  /** As served ("/api/documents/:id"; health and metrics have no prefix). */
  url: string;
  isPublic: boolean;
  /** The POLICY metadata, handler first then controller (as PolicyGuard reads it). */
  policy?: RoutePolicy;
}

/**
 * Every route handler of every Nest controller of the running app (inherited
 * handlers included), each with its @Public() marking and POLICY metadata.
 */
export function policyRoutes(app: NestFastifyApplication): PolicyRoute[] {
  const table = new Set(fastifyRoutes(app).map((r) => `${r.method} ${r.url}`));
  const scanner = new MetadataScanner();
  const found: PolicyRoute[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!type) continue;
      const base = String(Reflect.getMetadata(PATH_METADATA, type) ?? '');
      const classPublic = Reflect.getMetadata(IS_PUBLIC, type) === true;
      const classPolicy = Reflect.getMetadata(POLICY, type) as RoutePolicy | undefined;
      const proto = type.prototype as Record<string, unknown>;
      for (const name of scanner.getAllMethodNames(proto)) {
        const fn = proto[name] as object;
        const method = Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod | undefined;
        if (method === undefined) continue;
        const sub = String(Reflect.getMetadata(PATH_METADATA, fn) ?? '');
        const path = `/${[base, sub].filter((s) => s && s !== '/').join('/')}`.replace(/\/+/g, '/');
        const verb = RequestMethod[method];
        found.push({
          controller: type.name,
          handler: name,
          method: verb,
          path,
          url: table.has(`${verb} /api${path}`) ? `/api${path}` : path,
          isPublic: classPublic || Reflect.getMetadata(IS_PUBLIC, fn) === true,
          policy: (Reflect.getMetadata(POLICY, fn) as RoutePolicy | undefined) ?? classPolicy,
        });
      }
    }
  }
  return found.sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
}
