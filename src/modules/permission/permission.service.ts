import { Injectable } from '@nestjs/common';
import { SharedCache } from '../../core/cache/shared-cache.service';
import type { Principal } from '../../core/context/request-context.service';
import { RequestContext } from '../../core/context/request-context.service';
import type { Queryable } from '../../core/database/db.service';
import { ApiError } from '../../core/http/api-error';
import type { AccessRow } from './permission.repository';
import { PermissionRepository } from './permission.repository';
import type { Action, UserAccess } from './permission.types';
import { ACTIONS, ENTITY_TYPES } from './permission.types';

const EVERYTHING: Record<string, Action[]> = Object.fromEntries(
  ENTITY_TYPES.map((t) => [t, [...ACTIONS]]),
);

/**
 * Permission decisions. A user's access is evaluated at most once per request
 * (request cache), and across requests comes from Redis under a key holding the
 * organization and user, checked against the organization's permission version
 * (bumped in the same transaction as every grant, role, membership or folder
 * change). Redis down: straight from the database.
 */
@Injectable()
export class PermissionService {
  /** Database evaluations (tests and metrics read it). */
  loads = 0;

  constructor(
    private readonly repo: PermissionRepository,
    private readonly cache: SharedCache,
    private readonly ctx: RequestContext,
  ) {}

  principal(): Principal {
    const p = this.ctx.principal;
    if (!p) throw ApiError.unauthorized('AUTH_TOKEN_MISSING', 'Sign in first');
    return p;
  }

  access(): Promise<UserAccess> {
    const p = this.principal();
    return this.ctx.memo(`access:${p.userId}`, () => this.load(p));
  }

  can(access: UserAccess, entityType: string, action: Action): boolean {
    return access.actions[entityType]?.includes(action) ?? false;
  }

  async require(entityType: string, action: Action): Promise<UserAccess> {
    const access = await this.access();
    if (!this.can(access, entityType, action)) {
      throw ApiError.forbidden(`You may not ${action} ${entityType.replace('_', ' ')} records`);
    }
    return access;
  }

  async requireTab(tab: string): Promise<UserAccess> {
    const access = await this.access();
    if (!access.isPlatformAdmin && !access.tabs.includes(tab)) {
      throw ApiError.forbidden(`You may not open the ${tab.replace('_', ' ')} tab`);
    }
    return access;
  }

  async requireAdminHub(): Promise<UserAccess> {
    const access = await this.access();
    if (!access.adminHub) throw ApiError.forbidden('This needs access to the admin hub');
    return access;
  }

  async requirePlatformAdmin(): Promise<UserAccess> {
    const access = await this.access();
    if (!access.isPlatformAdmin)
      throw ApiError.forbidden('Only platform administrators may do this');
    return access;
  }

  /** True when the user may do action in the folder (a grant on it or an ancestor; admins always). */
  async canInFolder(access: UserAccess, folderPath: number[], action: Action): Promise<boolean> {
    if (access.viewFolderIds === null) return true;
    if (action === 'view' && access.viewFolderIds.includes(folderPath[folderPath.length - 1]))
      return true;
    return access.folderGrants.some(
      ([folderId, a]) => a === action && folderPath.includes(folderId),
    );
  }

  /** Bumps the permission version in the caller's transaction; call `published` after commit. */
  bumpVersion(q: Queryable, organizationId: number): Promise<number> {
    return this.repo.bumpVersion(q, organizationId);
  }

  /**
   * After the commit of a bump: every replica sees the new version on its next
   * request, and this request's own access is evaluated again when next asked
   * (the caller may now see a folder it just made).
   */
  async published(organizationId: number | null, version: number): Promise<void> {
    const p = this.ctx.principal;
    if (p) this.ctx.forget(`access:${p.userId}`);
    await this.cache.set(this.cache.key('ver', organizationId), String(version));
  }

  private async load(p: Principal): Promise<UserAccess> {
    const verKey = this.cache.key('ver', p.organizationId);
    const accessKey = this.cache.key('access', p.organizationId, p.userId);
    const cached = await this.cache.mget([verKey, accessKey]);
    if (cached && cached[0] !== null && cached[1] !== null) {
      const access = JSON.parse(cached[1]) as UserAccess;
      if (access.version === Number(cached[0])) {
        this.cache.hits++;
        return this.checkActive(access);
      }
    }
    this.cache.misses++;
    this.loads++;
    const row = await this.repo.loadAccess(p.userId);
    if (!row)
      throw ApiError.unauthorized(
        'AUTH_USER_UNKNOWN',
        'The account of this token no longer exists',
      );
    const access = toAccess(row);
    if (cached) {
      await Promise.all([
        this.cache.set(accessKey, JSON.stringify(access)),
        // NX: never overwrite a newer version published meanwhile.
        this.cache.set(verKey, String(access.version), this.cache.ttlSeconds, true),
      ]);
    }
    return this.checkActive(access);
  }

  private checkActive(access: UserAccess): UserAccess {
    if (!access.active)
      throw ApiError.unauthorized('AUTH_ACCOUNT_DISABLED', 'This account is disabled');
    return access;
  }
}

function toAccess(r: AccessRow): UserAccess {
  const admin = r.is_platform_admin || r.is_org_admin;
  const actions: Record<string, Action[]> = {};
  if (admin) Object.assign(actions, EVERYTHING);
  else for (const [type, action] of r.actions) (actions[type] ??= []).push(action);
  // Only platform admins manage organizations; everyone sees their own.
  if (!r.is_platform_admin) actions.organization = ['view'];
  return {
    userId: r.id,
    email: r.email,
    displayName: r.display_name,
    organizationId: r.organization_id,
    organizationName: r.organization_name,
    isPlatformAdmin: r.is_platform_admin,
    isOrgAdmin: r.is_org_admin,
    active: r.active,
    version: Number(r.version),
    roles: r.roles,
    adminHub: admin || r.admin_hub,
    actions,
    tabs: admin
      ? ENTITY_TYPES.filter((t) => t !== 'organization' || r.is_platform_admin)
      : [...r.tabs].sort(),
    viewFolderIds: admin ? null : r.view_folder_ids,
    folderGrants: r.folder_grants,
  };
}
