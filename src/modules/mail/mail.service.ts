import { Injectable } from '@nestjs/common';
import { Db } from '../../core/database/db.service';
import type { Queryable } from '../../core/database/db.service';
import type { RawQuery } from '../../core/grid/grid-query.parser';
import type { GridPage } from '../../core/grid/grid.types';
import { ApiError } from '../../core/http/api-error';
import { AuditService, diff } from '../audit/audit.service';
import { FolderService } from '../folder/folder.service';
import { PolicyEvaluator } from '../permission/policy-evaluator.service';
import { targetOrganization } from '../permission/target-organization';
import type { UserAccess } from '../permission/permission.types';
import { ResourceReader } from '../resource/resource-reader.service';
import { userResource } from '../user/user.resource';
import type { CreateMailDto } from './dto/create-mail.dto';
import type { UpdateMailDto } from './dto/update-mail.dto';
import { mailResource } from './mail.resource';
import type { MailColumns, MailRow } from './mail.repository';
import { MailRepository } from './mail.repository';

@Injectable()
export class MailService {
  constructor(
    private readonly db: Db,
    private readonly reader: ResourceReader,
    private readonly repo: MailRepository,
    private readonly policy: PolicyEvaluator,
    private readonly folders: FolderService,
    private readonly audit: AuditService,
  ) {}

  /**
   * The mail locked for `op` in this transaction: 404 outside the caller's
   * read scope (never revealed), 403 outside the scope of `op`, 409 when the
   * caller sent a version that is not current.
   */
  async lockForChange(
    q: Queryable,
    id: number,
    op: string,
    version: number | undefined,
  ): Promise<MailRow> {
    const guard = await this.policy.guard(mailResource, op);
    return this.repo.lock(q, id, guard, op, version);
  }

  /**
   * Who may be given the mail, as the user grid pages them: active members of
   * its organization who read it by their own rights. For callers who may
   * assign it (404 outside their read scope, 403 outside their assign scope).
   */
  async assignees(id: number, query: RawQuery): Promise<GridPage> {
    const guard = await this.policy.guard(mailResource, 'assign');
    const organizationId = await this.repo.organizationFor(this.db, id, guard, 'assign');
    return this.reader.listIn(userResource, this.policy.assigneesOf(id, organizationId), query);
  }

  /** The mail as the grid shows it. */
  get(id: number) {
    return this.reader.item(mailResource, id);
  }

  async create(dto: CreateMailDto) {
    const access = await this.policy.access();
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
        folderId: dto.folderId ?? null,
        action: 'create',
        changes: { ...dto },
      });
      return newId;
    });
    return this.get(id);
  }

  async update(id: number, dto: UpdateMailDto) {
    const access = await this.policy.access();
    await this.db.transaction(async (q) => {
      const current = await this.lockForChange(q, id, 'edit', dto.version);
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
      const changed = diff(current as unknown as Record<string, unknown>, changes);
      if (Object.keys(changed).length === 0) return; // nothing changes: no version, no audit
      const newVersion = await this.repo.update(q, id, dto.version, changes);
      if (newVersion === undefined) throw ApiError.versionConflict('Mail');
      await this.audit.record(q, {
        organizationId: current.organization_id,
        entityType: 'mail',
        entityId: id,
        folderId: dto.folderId === undefined ? current.folder_id : dto.folderId,
        action: 'update',
        changes: changed,
      });
    });
    return this.get(id);
  }

  async remove(id: number): Promise<void> {
    await this.db.transaction(async (q) => {
      const current = await this.lockForChange(q, id, 'delete', undefined);
      await this.repo.delete(q, id);
      await this.audit.record(q, {
        organizationId: current.organization_id,
        entityType: 'mail',
        entityId: id,
        folderId: current.folder_id,
        action: 'delete',
        changes: { subject: current.subject, sender: current.sender, folder_id: current.folder_id },
      });
    });
  }

  /**
   * The organization a new mail belongs to: its folder's, else the one
   * targetOrganization gives (the caller's own; platform admins name it).
   */
  private async organizationFor(
    access: UserAccess,
    dto: CreateMailDto,
    q: Queryable,
  ): Promise<number> {
    const named = dto.organizationId;
    // Another organization than one's own is refused the same way everywhere.
    if (!access.isPlatformAdmin) targetOrganization(access, named);
    if (dto.folderId === undefined || dto.folderId === null) {
      return targetOrganization(access, named);
    }
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
}
