import { Injectable } from '@nestjs/common';
import { tokenRevoked } from '../../core/auth/token.service';
import { SharedCache } from '../../core/cache/shared-cache.service';
import type { Principal } from '../../core/context/request-context.service';
import { RequestContext } from '../../core/context/request-context.service';
import type { Queryable } from '../../core/database/db.service';
import { Db } from '../../core/database/db.service';
import { ApiError } from '../../core/http/api-error';
import type { AccessRow } from './permission.repository';
import { PermissionRepository } from './permission.repository';
import type { Action, UserAccess } from './permission.types';
import { ACTIONS, ENTITY_TYPES } from './permission.types';

const EVERYTHING: Record<string, Action[]> = Object.fromEntries(
  ENTITY_TYPES.map((t) => [t, [...ACTIONS]]),
);

/**
 * The caller's access, which PolicyEvaluator decides with. A user's access is evaluated at most once per request
 * (request cache), and across requests comes from Redis under a key holding the
 * organization and user, checked against the organization's permission version
 * (bumped in the same transaction as every grant, role, membership or folder
 * change). Redis down: straight from the database.
 *
 * The access also carries the user's credential version: a token whose `cv`
 * is not that one is refused (401 AUTH_TOKEN_REVOKED), at no SQL cost for a
 * cached access. Every change that moves a credential version also bumps the
 * permission version, so the next request reads the new one.
 */
@Injectable()
export class PermissionService {
  /** Database evaluations (tests and metrics read it). */
  loads = 0;

  constructor(
    private readonly repo: PermissionRepository,
    private readonly cache: SharedCache,
    private readonly ctx: RequestContext,
    private readonly db: Db,
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

  /**
   * Another user's access (an assignee's), to decide what he may do by his own
   * rights: the same cached load as access(), keyed by that user and the
   * organization he is known to belong to. No token is involved, so no
   * credential check; whether he is active is the caller's to check. Undefined
   * when there is no such user in that organization.
   */
  async accessOf(userId: number, organizationId: number): Promise<UserAccess | undefined> {
    const p: Principal = {
      userId,
      organizationId,
      isPlatformAdmin: false,
      isOrgAdmin: false,
      credentialVersion: null,
    };
    try {
      return await this.ctx.memo(`accessOf:${userId}`, () => this.load(p, false));
    } catch (e) {
      if (e instanceof ApiError && e.getStatus() === 401) return undefined;
      throw e;
    }
  }

  /**
   * Bumps the permission version in the caller's transaction; call `published`
   * after commit. 400 naming organizationId when there is no such organization.
   */
  async bumpVersion(q: Queryable, organizationId: number | null): Promise<number> {
    const version = await this.repo.bumpVersion(q, organizationId);
    if (version === undefined) {
      throw ApiError.badRequest(
        'ORGANIZATION_NOT_FOUND',
        `organizationId: organization ${String(organizationId)} does not exist`,
        'organizationId',
      );
    }
    return version;
  }

  /**
   * After the commit of a bump: every replica sees the new version on its next
   * request, and this request's own access is evaluated again when next asked
   * (the caller may now see a folder it just made). The stamp only moves
   * forward, so concurrent publishers and loaders can never put an older
   * version back; one Redis did not take is retried until it lands (until then,
   * replicas may serve the previous grants).
   */
  async published(organizationId: number | null, version: number): Promise<void> {
    const p = this.ctx.principal;
    if (p) this.ctx.forget(`access:${p.userId}`);
    await this.cache.raise(this.versionKey(organizationId), version, { retry: true });
  }

  /**
   * The caller has just changed their own credentials (committed): the rest of
   * this request goes on under the new credential version, while the token
   * that carried it is refused from the next request on.
   */
  renewCredentials(userId: number, credentialVersion: number): void {
    const p = this.ctx.principal;
    if (p?.userId !== userId) return;
    this.ctx.principal = { ...p, credentialVersion };
    this.ctx.forget(`access:${userId}`);
  }

  /**
   * A transaction that changes who may do what: `bump(org)` raises that
   * organization's permission version inside it (null: the platform's), and
   * the new versions are published once it has committed.
   */
  async transaction<T>(
    fn: (q: Queryable, bump: (organizationId: number | null) => Promise<void>) => Promise<T>,
  ): Promise<T> {
    const bumped = new Map<number | null, number>();
    const result = await this.db.transaction((q) =>
      fn(q, async (organizationId) => {
        bumped.set(organizationId, await this.bumpVersion(q, organizationId));
      }),
    );
    await Promise.all([...bumped].map(([org, version]) => this.published(org, version)));
    return result;
  }

  private versionKey(organizationId: number | null): string {
    return this.cache.key('ver', organizationId);
  }

  /** `self`: the caller's own access (an inactive account is refused with 401). */
  private async load(p: Principal, self = true): Promise<UserAccess> {
    const verKey = this.versionKey(p.organizationId);
    const accessKey = this.cache.key('access', p.organizationId, p.userId);
    // A stamp this process could not publish yet: the cache is behind for this organization.
    const cached = this.cache.isBehind(verKey)
      ? undefined
      : await this.cache.mget([verKey, accessKey]);
    const hit = cached ? fromCache(cached[0], cached[1], p) : undefined;
    if (hit) {
      this.cache.hits++;
      return self ? checkActive(hit) : hit;
    }
    this.cache.misses++;
    this.loads++;
    const row = await this.repo.loadAccess(p.userId);
    if (!row)
      throw ApiError.unauthorized(
        'AUTH_USER_UNKNOWN',
        'The account of this token no longer exists',
      );
    if (row.organization_id !== p.organizationId) {
      // The token names another organization than the account now has: never mix the two.
      throw ApiError.unauthorized(
        'AUTH_TOKEN_STALE',
        'The bearer token is outdated: sign in again',
      );
    }
    const access = toAccess(row);
    if (cached) {
      // Redis answered the read: keep the result for the next requests. The
      // stamp is raised to the version read, never lowered: an access computed
      // before a concurrent bump is stored under its own (older) version and
      // so never matches the published one. Not awaited: a slow Redis must not
      // slow the request, and the one connection keeps the commands in order,
      // so the next request's read comes after these writes.
      void this.cache.set(accessKey, JSON.stringify(access));
      void this.cache.raise(verKey, access.version);
    }
    if (self) checkActive(access);
    if (p.credentialVersion !== null && p.credentialVersion !== access.credentialVersion) {
      throw tokenRevoked();
    }
    return access;
  }
}

/** The cached access when it is for this caller and stamped with the current version. */
function fromCache(
  version: string | null,
  value: string | null,
  p: Principal,
): UserAccess | undefined {
  if (version === null || value === null) return undefined;
  let access: UserAccess;
  try {
    access = JSON.parse(value) as UserAccess;
  } catch {
    return undefined;
  }
  if (access.version !== Number(version)) return undefined;
  // The key names org and user already; checking the value too costs nothing.
  if (access.userId !== p.userId || access.organizationId !== p.organizationId) return undefined;
  // Another credential version than the token's: the database decides whether
  // the token was revoked or the entry is of an earlier life of the database
  // (a re-created one gives its accounts new stamps, see next_stamp).
  if (typeof access.credentialVersion !== 'number') return undefined;
  if (p.credentialVersion !== null && access.credentialVersion !== p.credentialVersion) {
    return undefined;
  }
  return access;
}

function checkActive(access: UserAccess): UserAccess {
  if (!access.active)
    throw ApiError.unauthorized('AUTH_ACCOUNT_DISABLED', 'This account is disabled');
  return access;
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
    credentialVersion: Number(r.credential_version),
    roles: r.roles,
    adminHub: admin || r.admin_hub,
    actions,
    // Admins open every screen; an organization admin's organization screen shows his own.
    tabs: admin ? [...ENTITY_TYPES] : [...r.tabs].sort(),
    viewFolderIds: admin ? null : r.view_folder_ids.map(Number),
    folderGrants: r.folder_grants.map(([f, a]) => [Number(f), a]),
  };
}
