import { Injectable } from '@nestjs/common';
import { Db } from '../../core/database/db.service';
import { ApiError } from '../../core/http/api-error';
import { AuditService, diff } from '../audit/audit.service';
import { FolderService } from '../folder/folder.service';
import { PolicyEvaluator } from '../permission/policy-evaluator.service';
import { ResourceReader } from '../resource/resource-reader.service';
import { documentResource } from './document.resource';
import type { DocumentColumns } from './document.repository';
import { DocumentRepository } from './document.repository';
import type { CreateDocumentDto } from './dto/create-document.dto';
import type { UpdateDocumentDto } from './dto/update-document.dto';

function columnsOf(dto: Partial<CreateDocumentDto>): DocumentColumns {
  return {
    title: dto.title?.trim(),
    folder_id: dto.folderId,
    document_type_id: dto.documentTypeId,
    mail_id: dto.mailId,
    status: dto.status,
    file_name: dto.fileName,
    mime_type: dto.mimeType,
    size_bytes: dto.sizeBytes,
    page_count: dto.pageCount,
    document_date: dto.documentDate,
  };
}

@Injectable()
export class DocumentService {
  constructor(
    private readonly db: Db,
    private readonly reader: ResourceReader,
    private readonly repo: DocumentRepository,
    private readonly policy: PolicyEvaluator,
    private readonly folders: FolderService,
    private readonly audit: AuditService,
  ) {}

  async create(dto: CreateDocumentDto) {
    const access = await this.policy.access();
    const id = await this.db.transaction(async (q) => {
      const folder = await this.folders.requireForFiling(
        access,
        dto.folderId,
        'create',
        'folderId',
        q,
      );
      const newId = await this.repo.insert(q, {
        ...columnsOf(dto),
        organization_id: folder.organizationId,
        created_by: access.isPlatformAdmin ? null : access.userId,
      });
      await this.audit.record(q, {
        organizationId: folder.organizationId,
        entityType: 'document',
        entityId: newId,
        folderId: folder.id,
        action: 'create',
        changes: { ...dto },
      });
      return newId;
    });
    return this.reader.item(documentResource, id);
  }

  async update(id: number, dto: UpdateDocumentDto) {
    const access = await this.policy.access();
    await this.db.transaction(async (q) => {
      const guard = await this.policy.guard(documentResource, 'edit', access);
      const current = await this.repo.lock(q, id, guard, 'edit', dto.version);
      if (dto.folderId !== undefined && dto.folderId !== current.folder_id) {
        await this.folders.requireForFiling(access, dto.folderId, 'create', 'folderId', q);
      }
      const { version: _v, ...fields } = dto;
      const changes = columnsOf(fields);
      const changed = diff(current as unknown as Record<string, unknown>, changes);
      // Nothing changes: no new version, no audit row (see README, "A PATCH that changes nothing").
      if (Object.keys(changed).length === 0) return;
      const newVersion = await this.repo.update(q, id, dto.version, changes);
      if (newVersion === undefined) throw ApiError.versionConflict('Document');
      await this.audit.record(q, {
        organizationId: current.organization_id,
        entityType: 'document',
        entityId: id,
        folderId: dto.folderId ?? current.folder_id,
        action: 'update',
        changes: changed,
      });
    });
    return this.reader.item(documentResource, id);
  }

  async remove(id: number): Promise<void> {
    await this.db.transaction(async (q) => {
      const guard = await this.policy.guard(documentResource, 'delete');
      const current = await this.repo.lock(q, id, guard, 'delete');
      await this.repo.delete(q, id);
      await this.audit.record(q, {
        organizationId: current.organization_id,
        entityType: 'document',
        entityId: id,
        folderId: current.folder_id,
        action: 'delete',
        changes: { title: current.title, folder_id: current.folder_id },
      });
    });
  }
}
