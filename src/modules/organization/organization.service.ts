import { Injectable } from '@nestjs/common';
import type { Principal } from '../../core/context/request-context.service';
import { Db } from '../../core/database/db.service';
import { SqlParams } from '../../core/grid/grid-sql';
import { GridService } from '../../core/grid/grid.service';
import type { RawQuery } from '../../core/grid/grid-query.parser';
import { ApiError } from '../../core/http/api-error';
import { AuditService, diff } from '../audit/audit.service';
import { FolderService } from '../folder/folder.service';
import { PermissionService } from '../permission/permission.service';
import type { CreateOrganizationDto } from './dto/create-organization.dto';
import type { UpdateOrganizationDto } from './dto/update-organization.dto';
import { organizationGrid } from './organization.grid';
import type { OrganizationColumns, OrganizationContents } from './organization.repository';
import { OrganizationRepository } from './organization.repository';

function columnsOf(dto: Partial<CreateOrganizationDto>): OrganizationColumns {
  return { name: dto.name?.trim(), slug: dto.slug, is_active: dto.isActive };
}

function describeContents(c: OrganizationContents): string | undefined {
  const found = (Object.keys(c) as (keyof OrganizationContents)[]).filter((k) => c[k]);
  return found.length > 0 ? found.join(', ') : undefined;
}

/**
 * Tenants. Everyone sees their own organization; platform administrators see
 * and manage all of them.
 */
@Injectable()
export class OrganizationService {
  constructor(
    private readonly db: Db,
    private readonly grid: GridService,
    private readonly repo: OrganizationRepository,
    private readonly permissions: PermissionService,
    private readonly folders: FolderService,
    private readonly audit: AuditService,
  ) {}

  // No tab check: every member may read their own organization (the scope says which).
  list(caller: Principal, query: RawQuery) {
    return this.grid.list(organizationGrid, caller, query);
  }

  values(caller: Principal, column: string, query: RawQuery) {
    return this.grid.values(organizationGrid, caller, column, query);
  }

  async get(caller: Principal, id: number) {
    const row = await this.grid.item(organizationGrid, caller, id);
    if (!row) throw ApiError.notFound('Organization', id);
    return row;
  }

  /** A new organization with its system folders (Inbox, Archive), in one transaction. */
  async create(caller: Principal, dto: CreateOrganizationDto) {
    await this.permissions.requirePlatformAdmin();
    const id = await this.db.transaction(async (q) => {
      const changes = columnsOf(dto);
      const newId = await this.repo.insert(q, changes);
      await this.audit.record(q, {
        organizationId: newId,
        entityType: 'organization',
        entityId: newId,
        action: 'create',
        changes,
      });
      await this.folders.createSystemFolders(q, newId);
      return newId;
    });
    return this.get(caller, id);
  }

  async update(caller: Principal, id: number, dto: UpdateOrganizationDto) {
    await this.permissions.requirePlatformAdmin();
    const permissionVersion = await this.db.transaction(async (q) => {
      const p = new SqlParams();
      const scope = await this.grid.scopePredicate(organizationGrid, caller, p);
      const current = await this.repo.lockVisible(q, id, scope, p.values);
      if (!current) throw ApiError.notFound('Organization', id);
      if (current.version !== dto.version) {
        throw ApiError.conflict(
          'VERSION_CONFLICT',
          `version: the organization is at version ${current.version}, you sent ${dto.version}; reload it`,
          'version',
        );
      }
      const { version: _v, ...fields } = dto;
      const changes = columnsOf(fields);
      const newVersion = await this.repo.update(q, id, dto.version, changes);
      if (newVersion === undefined)
        throw ApiError.conflict(
          'VERSION_CONFLICT',
          'version: the organization changed meanwhile; reload it',
          'version',
        );
      await this.audit.record(q, {
        organizationId: id,
        entityType: 'organization',
        entityId: id,
        action: 'update',
        changes: diff(current as unknown as Record<string, unknown>, changes),
      });
      // Access cached across requests carries the active flag: (de)activation must reach it.
      const activation = changes.is_active !== undefined && changes.is_active !== current.is_active;
      return activation ? this.permissions.bumpVersion(q, id) : undefined;
    });
    if (permissionVersion !== undefined) await this.permissions.published(id, permissionVersion);
    return this.get(caller, id);
  }

  /**
   * Deletes an organization that holds no users, documents, mails or batches
   * (409 ORGANIZATION_NOT_EMPTY otherwise); its folders, document types and roles
   * go with it, and so does its audit trail — the deletion itself is recorded
   * outside any organization.
   */
  async remove(caller: Principal, id: number): Promise<void> {
    await this.permissions.requirePlatformAdmin();
    await this.db.transaction(async (q) => {
      const p = new SqlParams();
      const scope = await this.grid.scopePredicate(organizationGrid, caller, p);
      const current = await this.repo.lockVisible(q, id, scope, p.values);
      if (!current) throw ApiError.notFound('Organization', id);
      const holds = describeContents(await this.repo.contents(q, id));
      if (holds) {
        throw ApiError.conflict(
          'ORGANIZATION_NOT_EMPTY',
          `id: organization ${id} still holds ${holds}; remove them first or deactivate it (isActive: false)`,
          'id',
        );
      }
      await this.repo.delete(q, id);
      await this.audit.record(q, {
        organizationId: null,
        entityType: 'organization',
        entityId: id,
        action: 'delete',
        changes: { name: current.name, slug: current.slug },
      });
    });
  }
}
