import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { RoutePolicy } from '../../src/modules/permission/policy.decorator';
import { POLICY } from '../../src/modules/permission/policy.decorator';
import type { HandlerRoute } from './routes';
import { fastifyRoutes, nestHandlers } from './routes';

/** One HTTP route of the running app, from its Nest handler, with what it declares. */
export interface PolicyRoute extends HandlerRoute {
  /** As served ("/api/documents/:id"; health and metrics have no prefix). */
  url: string;
  /** The POLICY metadata, handler first then controller (as PolicyGuard reads it). */
  policy?: RoutePolicy;
}

/** Every route handler of the running app with its @Public() marking and POLICY metadata. */
export function policyRoutes(app: NestFastifyApplication): PolicyRoute[] {
  const table = new Set(fastifyRoutes(app).map((r) => `${r.method} ${r.url}`));
  return nestHandlers(app)
    .map((h) => ({
      ...h,
      url: table.has(`${h.method} /api${h.path}`) ? `/api${h.path}` : h.path,
      policy: h.metadata<RoutePolicy>(POLICY),
    }))
    .sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
}
