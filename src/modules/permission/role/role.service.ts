import { Injectable } from '@nestjs/common';
import type { Queryable } from '../../../core/database/db.service';
import { ApiError } from '../../../core/http/api-error';
import { AuditService, diff } from '../../audit/audit.service';
import { PermissionService } from '../permission.service';
import type { Action, UserAccess } from '../permission.types';
import { PolicyEvaluator } from '../policy-evaluator.service';
import { ResourceReader } from '../../resource/resource-reader.service';
import { targetOrganization } from '../target-organization';
import type { CreateRoleDto } from './dto/create-role.dto';
import type { RoleGrantsDto, SetRoleGrantsDto } from './dto/role-grants.dto';
import type { UpdateRoleDto } from './dto/update-role.dto';
import { groupActions, parseEntityActions } from './role-grants';
import { checkRoleHandout } from './role-handout';
import { RoleHandoutService } from './role-handout.service';
import type { RoleRow } from './role.repository';
import { RoleRepository } from './role.repository';
import { roleResource } from './role.resource';

/** Grant sections as stored, for the audit trail. */
interface GrantsShown {
  entityActions?: Record<string, string[]>;
  tabs?: string[];
  folderGrants?: { folderId: number; actions: string[] }[];
}

/**
 * Roles and their grants (entity actions, tabs, folders, admin hub), managed in
 * the admin hub. Every change is audited and raises the organization's
 * permission version in the same transaction: members get the new rights on
 * their very next request, on every replica.
 */
@Injectable()
export class RoleService {
  constructor(
    private readonly reader: ResourceReader,
    private readonly repo: RoleRepository,
    private readonly permissions: PermissionService,
    private readonly policy: PolicyEvaluator,
    private readonly audit: AuditService,
    private readonly handout: RoleHandoutService,
  ) {}

  /** The role as the grid shows it, with its grants and members. */
  async get(id: number) {
    const [row, details] = await Promise.all([
      this.reader.item(roleResource, id),
      this.repo.details(id),
    ]);
    return {
      ...row,
      grants: {
        entityActions: groupActions(details.entity_actions),
        tabs: details.tabs,
        folderGrants: details.folder_grants,
      },
      members: details.members,
    };
  }

  async create(dto: CreateRoleDto) {
    const access = await this.policy.access();
    const organizationId = targetOrganization(access, dto.organizationId);
    await this.handout.enforce(access, { organizationId, adminHubFlag: dto.adminHub, grants: dto });
    const id = await this.permissions.transaction(async (q, bump) => {
      await bump(organizationId); // first: a missing organization is a 400 naming organizationId
      const newId = await this.repo.insert(q, {
        organization_id: organizationId,
        name: dto.name.trim(),
        description: dto.description ?? '',
        admin_hub: dto.adminHub ?? false,
      });
      const grants = await this.writeGrants(q, newId, organizationId, dto);
      await this.audit.record(q, {
        organizationId,
        entityType: 'role',
        entityId: newId,
        action: 'create',
        changes: { name: dto.name.trim(), adminHub: dto.adminHub ?? false, ...grants },
      });
      return newId;
    });
    return this.get(id);
  }

  async update(id: number, dto: UpdateRoleDto) {
    const access = await this.policy.access();
    checkRoleHandout(access, { adminHubFlag: dto.adminHub !== undefined });
    await this.permissions.transaction(async (q, bump) => {
      const current = await this.lockManaged(q, access, id, 'edit', dto.version);
      const changes = {
        name: dto.name?.trim(),
        description: dto.description,
        admin_hub: dto.adminHub,
      };
      const changed = diff(current as unknown as Record<string, unknown>, changes);
      if (Object.keys(changed).length === 0) return; // nothing changes: no version, no audit
      await this.updateVersion(q, id, dto.version, changes);
      await this.audit.record(q, {
        organizationId: current.organization_id,
        entityType: 'role',
        entityId: id,
        action: 'update',
        changes: changed,
      });
      await bump(current.organization_id);
    });
    return this.get(id);
  }

  async setGrants(id: number, dto: SetRoleGrantsDto) {
    const access = await this.policy.access();
    if (!dto.entityActions && !dto.tabs && !dto.folderGrants) {
      throw ApiError.badRequest(
        'VALIDATION_FAILED',
        'body: give at least one of entityActions, tabs, folderGrants',
        'body',
      );
    }
    await this.permissions.transaction(async (q, bump) => {
      const current = await this.lockManaged(q, access, id, 'grants', dto.version);
      const before = await this.repo.details(id, q);
      const write = { organizationId: current.organization_id, grants: dto, grantsBefore: before };
      await this.handout.enforce(access, write, q);
      const after = await this.writeGrants(q, id, current.organization_id, dto);
      await this.updateVersion(q, id, dto.version, {});
      const was: GrantsShown = {
        entityActions: groupActions(before.entity_actions),
        tabs: before.tabs,
        folderGrants: before.folder_grants.map((g) => ({
          folderId: g.folderId,
          actions: g.actions,
        })),
      };
      const changes: Record<string, unknown> = {};
      for (const key of Object.keys(after) as (keyof GrantsShown)[]) {
        changes[key] = { from: was[key], to: after[key] };
      }
      await this.audit.record(q, {
        organizationId: current.organization_id,
        entityType: 'role',
        entityId: id,
        action: 'set_grants',
        changes,
      });
      await bump(current.organization_id);
    });
    return this.get(id);
  }

  async remove(id: number): Promise<void> {
    const access = await this.policy.access();
    const revoked = await this.permissions.transaction(async (q, bump) => {
      const current = await this.lockManaged(q, access, id, 'delete');
      const members = await this.repo.revokeMembers(q, id);
      // Memberships and grants go with it (ON DELETE CASCADE); the bump makes it immediate.
      await this.repo.delete(q, id);
      await this.audit.record(q, {
        organizationId: current.organization_id,
        entityType: 'role',
        entityId: id,
        action: 'delete',
        changes: { name: current.name },
      });
      await bump(current.organization_id);
      return members;
    });
    // A member deleting his own role: this answer still comes, his next request needs a new sign-in.
    const own = revoked.get(access.userId);
    if (own !== undefined) this.permissions.renewCredentials(access.userId, own);
  }

  /** The role to change, locked (404 outside the caller's reach, 409 on `version`); roles opening the admin hub by admins only. */
  private async lockManaged(
    q: Queryable,
    access: UserAccess,
    id: number,
    op: string,
    version?: number,
  ): Promise<RoleRow> {
    const guard = await this.policy.guard(roleResource, op, access);
    const current = await this.repo.lock(q, id, guard, op, version);
    if (current.admin_hub) checkRoleHandout(access, { adminHubRole: current });
    return current;
  }

  private async updateVersion(
    q: Queryable,
    id: number,
    version: number,
    changes: Partial<RoleRow>,
  ): Promise<void> {
    if ((await this.repo.update(q, id, version, changes)) === undefined) {
      throw ApiError.versionConflict('Role');
    }
  }

  /** Replaces each grant section the request gives; returns them as stored. */
  private async writeGrants(
    q: Queryable,
    roleId: number,
    organizationId: number,
    dto: RoleGrantsDto,
  ): Promise<GrantsShown> {
    const shown: GrantsShown = {};
    if (dto.entityActions) {
      const pairs = parseEntityActions(dto.entityActions);
      await this.repo.replaceEntityActions(q, roleId, pairs);
      shown.entityActions = groupActions(pairs);
    }
    if (dto.tabs) {
      const tabs = [...dto.tabs].sort();
      await this.repo.replaceTabs(q, roleId, tabs);
      shown.tabs = tabs;
    }
    if (dto.folderGrants) {
      const ids = [...new Set(dto.folderGrants.map((g) => g.folderId))];
      if (ids.length !== dto.folderGrants.length) {
        throw ApiError.badRequest(
          'VALIDATION_FAILED',
          'folderGrants: name each folder once',
          'folderGrants',
        );
      }
      const foreign = await this.repo.foreignFolders(q, organizationId, ids);
      if (foreign.length > 0) {
        const i = dto.folderGrants.findIndex((g) => g.folderId === foreign[0]);
        throw ApiError.badRequest(
          'FOLDER_NOT_FOUND',
          `folderGrants.${i}.folderId: folder ${foreign.join(', ')} does not exist in the role's organization`,
          `folderGrants.${i}.folderId`,
        );
      }
      const pairs: [number, Action][] = dto.folderGrants.flatMap((g) =>
        [...g.actions].sort().map((a): [number, Action] => [g.folderId, a]),
      );
      await this.repo.replaceFolderGrants(q, roleId, organizationId, pairs);
      shown.folderGrants = dto.folderGrants.map((g) => ({
        folderId: g.folderId,
        actions: [...g.actions].sort(),
      }));
    }
    return shown;
  }
}
