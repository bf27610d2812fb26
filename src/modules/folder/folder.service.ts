import { Injectable } from '@nestjs/common';
import type { Queryable } from '../../core/database/db.service';
import { Db } from '../../core/database/db.service';
import { ApiError } from '../../core/http/api-error';
import { AuditService, diff } from '../audit/audit.service';
import { PermissionService } from '../permission/permission.service';
import type { Action, UserAccess } from '../permission/permission.types';
import { PolicyEvaluator } from '../permission/policy-evaluator.service';
import { targetOrganization } from '../permission/target-organization';
import { ResourceReader } from '../resource/resource-reader.service';
import type { CreateFolderDto } from './dto/create-folder.dto';
import type { UpdateFolderDto } from './dto/update-folder.dto';
import { checkDepth, checkMove, describeContents, refuseSystemFolder } from './folder-rules';
import type { FolderRef } from './folder.repository';
import { FolderRepository } from './folder.repository';
import { folderResource } from './folder.resource';

const SYSTEM_FOLDERS = [
  { name: 'Inbox', systemKey: 'inbox' },
  { name: 'Archive', systemKey: 'archive' },
] as const;

/**
 * The folder tree of each organization. Creating, moving and deleting a folder
 * changes which folders a grant reaches, so each bumps the organization's
 * permission version in its transaction — taken first, so that the row lock on
 * the organization also serializes that organization's tree changes (no two
 * concurrent moves can together build a cycle).
 */
@Injectable()
export class FolderService {
  constructor(
    private readonly db: Db,
    private readonly reader: ResourceReader,
    private readonly repo: FolderRepository,
    private readonly permissions: PermissionService,
    private readonly policy: PolicyEvaluator,
    private readonly audit: AuditService,
  ) {}

  async create(dto: CreateFolderDto) {
    const access = await this.policy.access();
    const parentId = dto.parentId ?? null;
    // A platform admin filing under a parent may leave the organization to the parent.
    const named =
      access.isPlatformAdmin && parentId !== null
        ? (dto.organizationId ?? null)
        : targetOrganization(access, dto.organizationId);
    const done = await this.db.transaction(async (q) => {
      const organizationId = named ?? (await this.parentOrThrow(parentId, null, q)).organizationId;
      const permissionVersion = await this.permissions.bumpVersion(q, organizationId);
      const parent =
        parentId === null ? null : await this.parentOrThrow(parentId, organizationId, q);
      checkDepth(parent, 0);
      this.requireGrant(access, parent, 'create');
      const name = dto.name.trim();
      const id = await this.repo.insert(q, { organizationId, parentId, name });
      await this.audit.record(q, {
        organizationId,
        entityType: 'folder',
        entityId: id,
        folderId: id,
        action: 'create',
        changes: { name, parent_id: parentId },
      });
      return { id, organizationId, permissionVersion };
    });
    await this.permissions.published(done.organizationId, done.permissionVersion);
    return this.reader.item(folderResource, done.id);
  }

  /** A rename, a move (parentId; null = to the root), or both. */
  async update(id: number, dto: UpdateFolderDto) {
    const access = await this.policy.access();
    const scope = await this.policy.scope(folderResource, 'read', access);
    const done = await this.db.transaction(async (q) => {
      const seen = await this.repo.findVisible(q, id, scope);
      if (!seen) throw ApiError.notFound('Folder', id);
      const moveAsked = dto.parentId !== undefined && dto.parentId !== seen.parentId;
      const permissionVersion = moveAsked
        ? await this.permissions.bumpVersion(q, seen.organizationId)
        : undefined;
      const current = await this.repo.findVisible(q, id, scope, true);
      if (!current) throw ApiError.notFound('Folder', id);
      if (current.version !== dto.version)
        throw ApiError.versionConflict('Folder', current.version, dto.version);

      const name = dto.name?.trim();
      const renamed = name !== undefined && name !== current.name;
      const moved = dto.parentId !== undefined && dto.parentId !== current.parentId;
      if (renamed) refuseSystemFolder(current, 'renamed', 'name');
      if (moved) refuseSystemFolder(current, 'moved', 'parentId');
      if (!renamed && !moved) return { current, changed: false, permissionVersion };
      this.requireGrant(access, current, 'edit', 'id');

      let subfolders = 0;
      if (moved) {
        // Seen unmoved but moved meanwhile: the version check above already failed.
        if (permissionVersion === undefined)
          throw ApiError.versionConflict('Folder', current.version, dto.version);
        const parent =
          dto.parentId === null
            ? null
            : await this.parentOrThrow(dto.parentId ?? null, current.organizationId, q);
        checkMove(current, parent, await this.repo.subtreeHeight(q, current));
        this.requireGrant(access, parent, 'create');
        const result = await this.repo.move(q, current, parent, renamed ? name : undefined);
        subfolders = result.moved - 1;
      } else {
        const version = await this.repo.rename(q, id, dto.version, name ?? current.name);
        if (version === undefined)
          throw ApiError.versionConflict('Folder', current.version, dto.version);
      }
      const changes = diff(
        { name: current.name, parent_id: current.parentId },
        { name: renamed ? name : undefined, parent_id: moved ? dto.parentId : undefined },
      );
      if (subfolders > 0) changes.subfolders_moved = subfolders;
      await this.audit.record(q, {
        organizationId: current.organizationId,
        entityType: 'folder',
        entityId: id,
        folderId: id,
        action: moved ? 'move' : 'update',
        changes,
      });
      return { current, changed: true, permissionVersion };
    });
    if (done.permissionVersion !== undefined) {
      await this.permissions.published(done.current.organizationId, done.permissionVersion);
    }
    return this.reader.item(folderResource, id);
  }

  /** Deletes an empty folder; one that still holds anything answers 409 FOLDER_NOT_EMPTY. */
  async remove(id: number): Promise<void> {
    const access = await this.policy.access();
    const scope = await this.policy.scope(folderResource, 'read', access);
    const done = await this.db.transaction(async (q) => {
      const seen = await this.repo.findVisible(q, id, scope);
      if (!seen) throw ApiError.notFound('Folder', id);
      refuseSystemFolder(seen, 'deleted', 'id');
      const permissionVersion = await this.permissions.bumpVersion(q, seen.organizationId);
      const current = await this.repo.findVisible(q, id, scope, true);
      if (!current) throw ApiError.notFound('Folder', id);
      this.requireGrant(access, current, 'delete', 'id');
      const holds = describeContents(await this.repo.contents(q, id));
      if (holds) {
        throw ApiError.conflict(
          'FOLDER_NOT_EMPTY',
          `id: folder ${id} still holds ${holds}; move or delete them first`,
          'id',
        );
      }
      await this.repo.delete(q, id);
      await this.audit.record(q, {
        organizationId: current.organizationId,
        entityType: 'folder',
        entityId: id,
        folderId: id,
        action: 'delete',
        changes: { name: current.name, parent_id: current.parentId, path: current.path },
      });
      return { organizationId: current.organizationId, permissionVersion };
    });
    await this.permissions.published(done.organizationId, done.permissionVersion);
  }

  /**
   * The system folders (Inbox, Archive) of a new organization, inside the
   * transaction that creates it. Nobody holds access to it yet: no version bump.
   */
  async createSystemFolders(q: Queryable, organizationId: number): Promise<number[]> {
    const ids: number[] = [];
    for (const f of SYSTEM_FOLDERS) {
      const id = await this.repo.insert(q, { organizationId, parentId: null, ...f });
      await this.audit.record(q, {
        organizationId,
        entityType: 'folder',
        entityId: id,
        folderId: id,
        action: 'create',
        changes: { name: f.name, system_key: f.systemKey },
      });
      ids.push(id);
    }
    return ids;
  }

  /**
   * The folder a record is being filed into, checked: in the caller's organization
   * (any, for platform admins), and the caller holds `action` on it or an ancestor.
   * `field` names the request field in the 400/403.
   */
  async requireForFiling(
    access: UserAccess,
    folderId: number,
    action: Action,
    field: string,
    q?: Queryable,
  ): Promise<FolderRef> {
    const folder = await this.repo.findRef(
      folderId,
      access.isPlatformAdmin ? null : access.organizationId,
      q,
    );
    // A folder the caller cannot see is not revealed: the same answer as one that does not exist.
    if (!folder || !this.policy.permitsInFolder(access, folder.path, 'view'))
      throw ApiError.badRequest(
        'FOLDER_NOT_FOUND',
        `${field}: folder ${folderId} does not exist in your organization`,
        field,
      );
    // System folders (Inbox, Archive) belong to every member: the entity-type grant decides.
    if (folder.systemKey === null && !this.policy.permitsInFolder(access, folder.path, action)) {
      throw ApiError.forbidden(`you may not ${action} in folder ${folderId}`, field);
    }
    return folder;
  }

  /** The parent a folder is created or moved under, in the given organization (null: any). */
  private async parentOrThrow(
    parentId: number | null,
    organizationId: number | null,
    q: Queryable,
  ): Promise<FolderRef> {
    const parent =
      parentId === null ? undefined : await this.repo.findRef(parentId, organizationId, q);
    if (!parent) {
      throw ApiError.badRequest(
        'FOLDER_NOT_FOUND',
        `parentId: folder ${String(parentId)} does not exist in this organization`,
        'parentId',
      );
    }
    return parent;
  }

  /**
   * Org and platform admins may do anything in the tree; others need a folder grant
   * for `action` on the folder (or, for a parent, on where the folder goes) or an
   * ancestor of it. Only admins work at the root.
   */
  private requireGrant(
    access: UserAccess,
    folder: FolderRef | null,
    action: Action,
    field = 'parentId',
  ): void {
    if (this.policy.permitsInFolder(access, folder?.path ?? [], action)) return;
    throw ApiError.forbidden(
      folder === null
        ? 'only administrators put folders at the top level'
        : `you may not ${action} in folder ${folder.id}`,
      field,
    );
  }
}
