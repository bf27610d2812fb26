import { Injectable } from '@nestjs/common';
import type { Principal } from '../../core/context/request-context.service';
import { Db } from '../../core/database/db.service';
import type { Queryable } from '../../core/database/db.service';
import { SqlParams } from '../../core/grid/grid-sql';
import { GridService } from '../../core/grid/grid.service';
import type { RawQuery } from '../../core/grid/grid-query.parser';
import { ApiError } from '../../core/http/api-error';
import { AuditService, diff } from '../audit/audit.service';
import { FolderService } from '../folder/folder.service';
import { PermissionService } from '../permission/permission.service';
import type { UserAccess } from '../permission/permission.types';
import type { CreateMailDto } from './dto/create-mail.dto';
import type { UpdateMailDto } from './dto/update-mail.dto';
import { inboxGrid } from './inbox.grid';
import { mailGrid } from './mail.grid';
import type { MailColumns, MailRow } from './mail.repository';
import { MailRepository } from './mail.repository';

export const versionConflict = (current: number, sent: number) =>
  ApiError.conflict(
    'VERSION_CONFLICT',
    `version: the mail is at version ${current}, you sent ${sent}; reload it`,
    'version',
  );

@Injectable()
export class MailService {
  constructor(
    private readonly db: Db,
    private readonly grid: GridService,
    private readonly repo: MailRepository,
    private readonly permissions: PermissionService,
    private readonly folders: FolderService,
    private readonly audit: AuditService,
  ) {}

  async list(caller: Principal, query: RawQuery) {
    await this.permissions.requireTab('mail');
    return this.grid.list(mailGrid, caller, query);
  }

  async values(caller: Principal, column: string, query: RawQuery) {
    await this.permissions.requireTab('mail');
    return this.grid.values(mailGrid, caller, column, query);
  }

  /** The inbox: mail assigned to the caller (mail view rights, no tab needed for one's own work). */
  inbox(caller: Principal, query: RawQuery) {
    return this.grid.list(inboxGrid, caller, query);
  }

  inboxValues(caller: Principal, column: string, query: RawQuery) {
    return this.grid.values(inboxGrid, caller, column, query);
  }

  async get(caller: Principal, id: number) {
    const row = await this.grid.item(mailGrid, caller, id);
    if (!row) throw ApiError.notFound('Mail', id);
    return row;
  }

  /**
   * The mail locked for a change in this transaction: 404 outside the caller's
   * scope (never revealed), 409 when the caller sent a version that is not current.
   */
  async lockForChange(
    q: Queryable,
    caller: Principal,
    id: number,
    version: number | undefined,
  ): Promise<MailRow> {
    const p = new SqlParams();
    const scope = await this.grid.scopePredicate(mailGrid, caller, p);
    const current = await this.repo.lockVisible(q, id, scope, p.values);
    if (!current) throw ApiError.notFound('Mail', id);
    if (version !== undefined && current.version !== version)
      throw versionConflict(current.version, version);
    return current;
  }

  async create(caller: Principal, dto: CreateMailDto) {
    const access = await this.permissions.require('mail', 'create');
    const id = await this.db.transaction(async (q) => {
      const organizationId = await this.organizationFor(access, dto, q);
      const newId = await this.repo.insert(q, {
        organization_id: organizationId,
        folder_id: dto.folderId ?? null,
        subject: dto.subject.trim(),
        sender: dto.sender.trim(),
        priority: dto.priority,
        received_on: dto.receivedOn ?? new Date().toISOString(),
      });
      await this.audit.record(q, {
        organizationId,
        entityType: 'mail',
        entityId: newId,
        action: 'create',
        changes: { ...dto },
      });
      return newId;
    });
    return this.get(caller, id);
  }

  async update(caller: Principal, id: number, dto: UpdateMailDto) {
    const access = await this.permissions.require('mail', 'edit');
    await this.db.transaction(async (q) => {
      const current = await this.lockForChange(q, caller, id, dto.version);
      if (current.folder_id !== null) {
        await this.folders.requireForFiling(access, current.folder_id, 'edit', 'id', q);
      }
      if (
        dto.folderId !== undefined &&
        dto.folderId !== null &&
        dto.folderId !== current.folder_id
      ) {
        const folder = await this.folders.requireForFiling(
          access,
          dto.folderId,
          'create',
          'folderId',
          q,
        );
        if (folder.organizationId !== current.organization_id) {
          throw ApiError.badRequest(
            'FOLDER_NOT_FOUND',
            `folderId: folder ${dto.folderId} is not in the mail's organization`,
            'folderId',
          );
        }
      }
      const changes: MailColumns = {
        subject: dto.subject?.trim(),
        sender: dto.sender?.trim(),
        priority: dto.priority,
        folder_id: dto.folderId,
      };
      const newVersion = await this.repo.update(q, id, dto.version, changes);
      if (newVersion === undefined) throw versionConflict(current.version, dto.version);
      await this.audit.record(q, {
        organizationId: current.organization_id,
        entityType: 'mail',
        entityId: id,
        action: 'update',
        changes: diff(current as unknown as Record<string, unknown>, changes),
      });
    });
    return this.get(caller, id);
  }

  async remove(caller: Principal, id: number): Promise<void> {
    const access = await this.permissions.require('mail', 'delete');
    await this.db.transaction(async (q) => {
      const current = await this.lockForChange(q, caller, id, undefined);
      if (current.folder_id !== null) {
        await this.folders.requireForFiling(access, current.folder_id, 'delete', 'id', q);
      }
      await this.repo.delete(q, id);
      await this.audit.record(q, {
        organizationId: current.organization_id,
        entityType: 'mail',
        entityId: id,
        action: 'delete',
        changes: { subject: current.subject, sender: current.sender, folder_id: current.folder_id },
      });
    });
  }

  /**
   * The organization a new mail belongs to: its folder's, else the caller's own.
   * Platform administrators belong to none and name it (or a folder).
   */
  private async organizationFor(
    access: UserAccess,
    dto: CreateMailDto,
    q: Queryable,
  ): Promise<number> {
    const named = dto.organizationId;
    if (!access.isPlatformAdmin && named !== undefined && named !== access.organizationId) {
      throw ApiError.badRequest(
        'VALIDATION_ORGANIZATION',
        'organizationId: you can only enter mail for your own organization',
        'organizationId',
      );
    }
    if (dto.folderId !== undefined && dto.folderId !== null) {
      const folder = await this.folders.requireForFiling(
        access,
        dto.folderId,
        'create',
        'folderId',
        q,
      );
      if (named !== undefined && named !== folder.organizationId) {
        throw ApiError.badRequest(
          'FOLDER_NOT_FOUND',
          `folderId: folder ${dto.folderId} is not in organization ${named}`,
          'folderId',
        );
      }
      return folder.organizationId;
    }
    const organizationId = access.isPlatformAdmin ? named : access.organizationId;
    if (organizationId === undefined || organizationId === null) {
      throw ApiError.badRequest(
        'VALIDATION_FAILED',
        'organizationId: platform administrators name the organization (or a folderId)',
        'organizationId',
      );
    }
    return organizationId;
  }
}
