import { SetMetadata } from '@nestjs/common';
import type { GrantedType, Requirement, Resource } from './resource';

export const POLICY = Symbol('policy');

/** What a route requires, read by PolicyGuard. */
export interface RoutePolicy {
  requirement: Requirement;
  /** Grid screens also need their tab. */
  tab?: GrantedType;
  /** The resource and operation it came from (the permission matrix reads them). */
  resource?: Resource;
  op?: string;
}

/** The route performs `op` of the resource: its declared requirement applies. */
export function Policy(resource: Resource, op: string): MethodDecorator & ClassDecorator {
  const requirement = resource.policy[op];
  if (!requirement) throw new Error(`${resource.grid.name}: no policy for operation "${op}"`);
  return SetMetadata<symbol, RoutePolicy>(POLICY, { requirement, resource, op });
}

/** A grid screen of the resource (list, columns, values): read rights and its tab. */
export function ScreenPolicy(resource: Resource): MethodDecorator & ClassDecorator {
  return SetMetadata<symbol, RoutePolicy>(POLICY, {
    requirement: resource.policy.read,
    tab: resource.tab,
    resource,
    op: 'read',
  });
}

/** A route outside any resource (the caller's own context, the admin hub's figures). */
export function Requires(requirement: Requirement): MethodDecorator & ClassDecorator {
  return SetMetadata<symbol, RoutePolicy>(POLICY, { requirement });
}
