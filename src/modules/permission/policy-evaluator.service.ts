import { Injectable } from '@nestjs/common';
import type { SqlStatement } from '../../core/grid/grid-query.builder';
import type { RowGuard } from '../../core/database/versioned-row';
import { SqlParams } from '../../core/grid/grid-sql';
import { ApiError } from '../../core/http/api-error';
import { PermissionRepository } from './permission.repository';
import { PermissionService } from './permission.service';
import type { Action, UserAccess } from './permission.types';
import type { GridScope } from '../../core/grid/grid.types';
import {
  meets,
  opens,
  permitsInFolder,
  readScopeSets,
  refusal,
  rowScope,
  tenantOf,
} from './policy';
import type { GrantedType, Requirement, Resource } from './resource';

/**
 * The one place that decides: every route (a requirement, and a tab for grid
 * screens) and every row (the scope predicate of a resource for an
 * operation), for the caller of the request.
 */
@Injectable()
export class PolicyEvaluator {
  constructor(
    private readonly permissions: PermissionService,
    private readonly repo: PermissionRepository,
  ) {}

  /** The caller's access (evaluated once per request). */
  access(): Promise<UserAccess> {
    return this.permissions.access();
  }

  /** The caller's access when the requirement (and the tab, if any) is met; 403 otherwise. */
  async authorize(req: Requirement, tab?: GrantedType): Promise<UserAccess> {
    const access = await this.permissions.access();
    if (!meets(access, req)) throw ApiError.forbidden(refusal(req));
    if (tab !== undefined && !opens(access, tab)) {
      throw ApiError.forbidden(`You may not open the ${tab.replace('_', ' ')} tab`);
    }
    return access;
  }

  /**
   * The rows of the resource the caller reaches for `op`, numbered from $1;
   * for a read, also as sets of tenant and folder ids when the rule is only that.
   */
  async scope(resource: Resource, op = 'read', access?: UserAccess): Promise<GridScope> {
    const a = access ?? (await this.permissions.access());
    const p = new SqlParams();
    const scope: GridScope = { text: rowScope(resource, op, a, p.bind), values: p.values };
    const tenant = tenantOf(resource, a);
    if (tenant !== undefined) scope.tenant = tenant;
    if (op === 'read') {
      const within = readScopeSets(resource, a);
      if (within) scope.within = within;
    }
    return scope;
  }

  /** The read scope and the scope of `op`, for locking a row before changing it. */
  async guard(resource: Resource, op: string, access?: UserAccess): Promise<RowGuard> {
    const a = access ?? (await this.permissions.access());
    const p = new SqlParams();
    const visible = rowScope(resource, 'read', a, p.bind);
    const allowed = rowScope(resource, op, a, p.bind);
    return { visible, allowed, values: p.values };
  }

  /**
   * The rows of the resource another user (an assignee) reads by his own
   * rights, numbered from $1: his read requirement (a grant) and the read scope
   * without the assignee alternative. Undefined when he does not meet the read
   * requirement at all, or is no such member of the organization.
   */
  async ownReadScope(
    resource: Resource,
    userId: number,
    organizationId: number,
  ): Promise<SqlStatement | undefined> {
    const access = await this.permissions.accessOf(userId, organizationId);
    if (!access || !meets(access, resource.policy.read)) return undefined;
    const p = new SqlParams();
    return {
      text: rowScope(resource, 'read', access, p.bind, { ownRights: true }),
      values: p.values,
    };
  }

  /**
   * The users (over `users u`) a mail may be given to: active members of its
   * organization who read it by their own rights (ownReadScope's rule, stated
   * over users; a test keeps the two in agreement). Numbered from $1.
   */
  assigneesOf(mailId: number, organizationId: number): SqlStatement {
    const p = new SqlParams();
    return { text: this.repo.assigneeCandidates(mailId, organizationId, p.bind), values: p.values };
  }

  permitsInFolder(access: UserAccess, path: readonly number[], action: Action): boolean {
    return permitsInFolder(access, path, action);
  }
}
