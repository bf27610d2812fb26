import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance, RouteOptions } from 'fastify';

/**
 * A body limit of one route above HTTP_BODY_LIMIT_BYTES (bulk intake), where
 * the route's own DTO bounds what a valid body can hold. Nest passes only
 * `config` through to Fastify, so the limit travels there and an onRoute hook
 * (registered by createApp before routes exist) makes it the route's bodyLimit.
 * `prepare` names the route's body preparation (body-preparations): a heavy
 * body is validated and reshaped with it on a body-parse thread (one config
 * per route: Nest keeps only the last RouteConfig, so both travel together).
 */
export const BodyLimit = (bytes: number, opts: { prepare?: string } = {}) =>
  RouteConfig({ bodyLimit: bytes, ...(opts.prepare ? { bodyPrepare: opts.prepare } : {}) });

export function applyRouteBodyLimits(instance: FastifyInstance): void {
  instance.addHook('onRoute', (route: RouteOptions) => {
    const config: { bodyLimit?: unknown } | undefined = route.config;
    const limit = config?.bodyLimit;
    if (typeof limit === 'number') route.bodyLimit = limit;
  });
}
