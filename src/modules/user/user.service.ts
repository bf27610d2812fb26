import { Injectable } from '@nestjs/common';
import { hashPassword } from '../../core/auth/password';
import type { Queryable } from '../../core/database/db.service';
import { ApiError } from '../../core/http/api-error';
import { AuditService, diff } from '../audit/audit.service';
import { PermissionService } from '../permission/permission.service';
import type { UserAccess } from '../permission/permission.types';
import { PolicyEvaluator } from '../permission/policy-evaluator.service';
import { screensOf } from '../permission/policy';
import { checkRoleHandout } from '../permission/role/role-handout';
import { RoleHandoutService } from '../permission/role/role-handout.service';
import { targetOrganization } from '../permission/target-organization';
import { ResourceReader } from '../resource/resource-reader.service';
import type { CreateUserDto } from './dto/create-user.dto';
import type { MeDto } from './dto/me.dto';
import type { UpdateUserDto } from './dto/update-user.dto';
import type { UserColumns } from './user.repository';
import { UserRepository } from './user.repository';
import { userResource } from './user.resource';

/**
 * Users: the grid (organization-scoped), and the admin-hub operations that
 * create, change and remove them and set their roles. Every change is audited
 * and raises the organization's permission version in its own transaction, so
 * it holds from the very next request on every replica. A change of password,
 * roles, organization-admin flag or active state also moves the user's
 * credential version: every token issued before is refused.
 */
@Injectable()
export class UserService {
  constructor(
    private readonly reader: ResourceReader,
    private readonly repo: UserRepository,
    private readonly permissions: PermissionService,
    private readonly policy: PolicyEvaluator,
    private readonly audit: AuditService,
    private readonly handout: RoleHandoutService,
  ) {}

  /** The caller's user context, straight from the (request- and Redis-cached) access. */
  async me(): Promise<MeDto> {
    const a = await this.policy.access();
    return {
      user: {
        id: a.userId,
        email: a.email,
        displayName: a.displayName,
        isPlatformAdmin: a.isPlatformAdmin,
        isOrgAdmin: a.isOrgAdmin,
      },
      organization:
        a.organizationId === null ? null : { id: a.organizationId, name: a.organizationName ?? '' },
      roles: a.roles,
      tabs: screensOf(a),
      adminHub: a.adminHub,
      actions: a.actions,
      viewFolderIds: a.viewFolderIds,
      permissionVersion: a.version,
    };
  }

  /** The user as the grid shows it, with its role memberships. */
  async get(id: number) {
    const [row, roles] = await Promise.all([
      this.reader.item(userResource, id),
      this.repo.rolesOf(id),
    ]);
    return { ...row, memberships: roles };
  }

  async create(dto: CreateUserDto) {
    const access = await this.policy.access();
    const organizationId = targetOrganization(access, dto.organizationId);
    const roleIds = { before: [], after: dto.roleIds ?? [] };
    await this.handout.enforce(access, { organizationId, orgAdmin: dto.isOrgAdmin, roleIds });
    // The slow hash runs before the transaction, not while holding a connection.
    const passwordHash = await hashPassword(dto.password);
    const id = await this.permissions.transaction(async (q, bump) => {
      await bump(organizationId); // first: a missing organization is a 400 naming organizationId
      const newId = await this.repo
        .insert(q, {
          organization_id: organizationId,
          email: normalizeEmail(dto.email),
          display_name: dto.displayName.trim(),
          is_org_admin: dto.isOrgAdmin ?? false,
          is_active: dto.isActive ?? true,
          password_hash: passwordHash,
        })
        .catch(emailTaken);
      if (dto.roleIds && dto.roleIds.length > 0) {
        await this.replaceRoles(q, newId, organizationId, dto.roleIds);
      }
      const { password: _secret, ...shown } = dto;
      await this.audit.record(q, {
        organizationId,
        entityType: 'user',
        entityId: newId,
        action: 'create',
        changes: { ...shown, email: normalizeEmail(dto.email), organizationId },
      });
      return newId;
    });
    return this.get(id);
  }

  async update(id: number, dto: UpdateUserDto) {
    const access = await this.policy.access();
    checkRoleHandout(access, { account: id, orgAdmin: dto.isOrgAdmin !== undefined });
    if (id === access.userId && (dto.isActive === false || dto.isOrgAdmin === false)) {
      throw ApiError.conflict(
        'SELF_LOCKOUT',
        `${dto.isActive === false ? 'isActive' : 'isOrgAdmin'}: you cannot take this from your own account`,
        dto.isActive === false ? 'isActive' : 'isOrgAdmin',
      );
    }
    // null is absent (optional fields take it): no hash of null, no normalizing of null.
    const passwordHash = dto.password == null ? undefined : await hashPassword(dto.password);
    const credentialVersion = await this.permissions.transaction(async (q, bump) => {
      const current = await this.lockManaged(q, access, id, 'edit');
      if (current.version !== dto.version) {
        throw ApiError.versionConflict('User', current.version, dto.version);
      }
      const changes: UserColumns = {
        email: dto.email == null ? undefined : normalizeEmail(dto.email),
        display_name: dto.displayName?.trim(),
        is_org_admin: dto.isOrgAdmin,
        is_active: dto.isActive,
        password_hash: passwordHash,
      };
      const { password_hash: _hash, ...visible } = changes;
      const changed = diff(current as unknown as Record<string, unknown>, visible);
      // Nothing changes (a new password always does): no version, no audit, tokens stay.
      if (Object.keys(changed).length === 0 && passwordHash === undefined) return undefined;
      const newVersion = await this.repo.update(q, id, dto.version, changes).catch(emailTaken);
      if (newVersion === undefined) throw ApiError.versionConflict('User');
      await this.audit.record(q, {
        organizationId: current.organization_id,
        entityType: 'user',
        entityId: id,
        action: 'update',
        changes: { ...changed, ...(passwordHash ? { password: 'changed' } : {}) },
      });
      await bump(current.organization_id);
      // A new password, admin flag or active state revokes every token issued before.
      const revokes =
        passwordHash !== undefined ||
        (dto.isOrgAdmin !== undefined && dto.isOrgAdmin !== current.is_org_admin) ||
        (dto.isActive !== undefined && dto.isActive !== current.is_active);
      return revokes ? this.repo.bumpCredentials(q, id) : undefined;
    });
    // Changing one's own password: this answer still comes, the next request needs a new sign-in.
    if (credentialVersion !== undefined) this.permissions.renewCredentials(id, credentialVersion);
    return this.get(id);
  }

  async remove(id: number): Promise<void> {
    const access = await this.policy.access();
    if (id === access.userId) {
      throw ApiError.conflict('SELF_LOCKOUT', 'id: you cannot delete your own account', 'id');
    }
    try {
      await this.permissions.transaction(async (q, bump) => {
        const current = await this.lockManaged(q, access, id, 'delete');
        await this.repo.delete(q, id);
        await this.audit.record(q, {
          organizationId: current.organization_id,
          entityType: 'user',
          entityId: id,
          action: 'delete',
          changes: { email: current.email, display_name: current.display_name },
        });
        await bump(current.organization_id);
      });
    } catch (e) {
      if ((e as { code?: unknown }).code === '23503') {
        throw ApiError.conflict(
          'USER_IN_USE',
          `id: user ${id} has work on record (mails, documents or batches); deactivate it instead (PATCH isActive=false)`,
          'id',
        );
      }
      throw e;
    }
  }

  async setRoles(id: number, roleIds: number[]) {
    const access = await this.policy.access();
    const credentialVersion = await this.permissions.transaction(async (q, bump) => {
      const current = await this.lockManaged(q, access, id, 'roles');
      if (current.organization_id === null) {
        throw ApiError.badRequest(
          'USER_WITHOUT_ORGANIZATION',
          'roleIds: platform admins belong to no organization and hold no roles',
          'roleIds',
        );
      }
      const before = (await this.repo.rolesOf(id, q)).map((r) => Number(r.id));
      const write = { organizationId: current.organization_id, account: id };
      await this.handout.enforce(access, { ...write, roleIds: { before, after: roleIds } }, q);
      await this.replaceRoles(q, id, current.organization_id, roleIds);
      await this.audit.record(q, {
        organizationId: current.organization_id,
        entityType: 'user',
        entityId: id,
        action: 'set_roles',
        changes: { roleIds: { from: before, to: [...roleIds].sort((a, b) => a - b) } },
      });
      await bump(current.organization_id);
      // Another set of roles revokes every token issued before (roleIds holds no duplicates).
      const same = before.length === roleIds.length && roleIds.every((r) => before.includes(r));
      return same ? undefined : this.repo.bumpCredentials(q, id);
    });
    if (credentialVersion !== undefined) this.permissions.renewCredentials(id, credentialVersion);
    return this.get(id);
  }

  /** The user to change, locked (404 outside the caller's reach). Organization admins are changed only by their peers. */
  private async lockManaged(q: Queryable, access: UserAccess, id: number, op: string) {
    const current = await this.repo.lock(
      q,
      id,
      await this.policy.guard(userResource, op, access),
      op,
    );
    if (current.is_org_admin) requireAdmin(access, 'id');
    return current;
  }

  private async replaceRoles(
    q: Queryable,
    userId: number,
    organizationId: number,
    roleIds: number[],
  ): Promise<void> {
    const foreign = await this.repo.foreignRoles(q, organizationId, roleIds);
    if (foreign.length > 0) {
      throw ApiError.badRequest(
        'ROLE_NOT_FOUND',
        `roleIds: role ${foreign.join(', ')} does not exist in the user's organization`,
        'roleIds',
      );
    }
    await this.repo.setRoles(q, userId, organizationId, roleIds);
  }
}

/** Organization admin rights are handed out and taken only by admins themselves. */
function requireAdmin(access: UserAccess, field: string): void {
  if (!access.isOrgAdmin && !access.isPlatformAdmin) {
    throw ApiError.forbidden('only organization admins may manage organization admins', field);
  }
}

/**
 * Emails are unique platform-wide (sign-in is by email): a taken address gets
 * one answer whichever organization holds it, naming neither that organization
 * nor the database's constraint.
 */
function emailTaken(e: unknown): never {
  const pg = e as { code?: unknown; constraint?: unknown };
  if (pg.code === '23505' && pg.constraint === 'users_email_key') {
    throw ApiError.conflict(
      'USER_EMAIL_TAKEN',
      'email: this address cannot be used; choose another',
      'email',
    );
  }
  throw e;
}

function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
