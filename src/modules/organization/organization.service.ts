import { Injectable } from '@nestjs/common';
import { Db } from '../../core/database/db.service';
import { ApiError } from '../../core/http/api-error';
import { AuditService, diff } from '../audit/audit.service';
import { FolderService } from '../folder/folder.service';
import { PermissionService } from '../permission/permission.service';
import { PolicyEvaluator } from '../permission/policy-evaluator.service';
import { ResourceReader } from '../resource/resource-reader.service';
import type { CreateOrganizationDto } from './dto/create-organization.dto';
import type { UpdateOrganizationDto } from './dto/update-organization.dto';
import { organizationResource } from './organization.resource';
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
    private readonly reader: ResourceReader,
    private readonly repo: OrganizationRepository,
    private readonly permissions: PermissionService,
    private readonly policy: PolicyEvaluator,
    private readonly folders: FolderService,
    private readonly audit: AuditService,
  ) {}

  /** A new organization with its system folders (Inbox, Archive), in one transaction. */
  async create(dto: CreateOrganizationDto) {
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
    return this.reader.item(organizationResource, id);
  }

  async update(id: number, dto: UpdateOrganizationDto) {
    const permissionVersion = await this.db.transaction(async (q) => {
      const guard = await this.policy.guard(organizationResource, 'edit');
      const current = await this.repo.lock(q, id, guard, 'edit', dto.version);
      const { version: _v, ...fields } = dto;
      const changes = columnsOf(fields);
      const changed = diff(current as unknown as Record<string, unknown>, changes);
      if (Object.keys(changed).length === 0) return undefined; // nothing changes: no version, no audit
      const newVersion = await this.repo.update(q, id, dto.version, changes);
      if (newVersion === undefined) throw ApiError.versionConflict('Organization');
      await this.audit.record(q, {
        organizationId: id,
        entityType: 'organization',
        entityId: id,
        action: 'update',
        changes: changed,
      });
      // Access cached across requests carries the active flag: (de)activation must reach it.
      const activation = changes.is_active !== undefined && changes.is_active !== current.is_active;
      return activation ? this.permissions.bumpVersion(q, id) : undefined;
    });
    if (permissionVersion !== undefined) await this.permissions.published(id, permissionVersion);
    return this.reader.item(organizationResource, id);
  }

  /**
   * Deletes an organization that holds no users, documents, mails or batches
   * (409 ORGANIZATION_NOT_EMPTY otherwise); its folders, document types and roles
   * go with it, and so does its audit trail — the deletion itself is recorded
   * outside any organization.
   */
  async remove(id: number): Promise<void> {
    await this.db.transaction(async (q) => {
      const guard = await this.policy.guard(organizationResource, 'delete');
      const current = await this.repo.lock(q, id, guard, 'delete');
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
