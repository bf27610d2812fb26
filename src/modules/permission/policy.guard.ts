import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IS_PUBLIC } from '../../core/http/public.decorator';
import { PolicyEvaluator } from './policy-evaluator.service';
import type { RoutePolicy } from './policy.decorator';
import { POLICY } from './policy.decorator';

/**
 * Global guard after the token check: every route that is not public declares
 * a policy (a route without one is refused, and the permission matrix test
 * names it), and the evaluator decides it before the handler runs.
 */
@Injectable()
export class PolicyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly evaluator: PolicyEvaluator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets)) return true;
    const policy = this.reflector.getAllAndOverride<RoutePolicy | undefined>(POLICY, targets);
    if (!policy) {
      throw new Error(`${context.getClass().name}.${context.getHandler().name} declares no policy`);
    }
    await this.evaluator.authorize(policy.requirement, policy.tab);
    return true;
  }
}
