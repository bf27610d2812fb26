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
import { documentGrid } from './document.grid';
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
    private readonly grid: GridService,
    private readonly repo: DocumentRepository,
    private readonly permissions: PermissionService,
    private readonly folders: FolderService,
    private readonly audit: AuditService,
  ) {}

  async list(caller: Principal, query: RawQuery) {
    await this.permissions.requireTab('document');
    return this.grid.list(documentGrid, caller, query);
  }

  async values(caller: Principal, column: string, query: RawQuery) {
    await this.permissions.requireTab('document');
    return this.grid.values(documentGrid, caller, column, query);
  }

  async get(caller: Principal, id: number) {
    const row = await this.grid.item(documentGrid, caller, id);
    if (!row) throw ApiError.notFound('Document', id);
    return row;
  }

  async create(caller: Principal, dto: CreateDocumentDto) {
    const access = await this.permissions.require('document', 'create');
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
        action: 'create',
        changes: { ...dto },
      });
      return newId;
    });
    return this.get(caller, id);
  }

  async update(caller: Principal, id: number, dto: UpdateDocumentDto) {
    const access = await this.permissions.require('document', 'edit');
    await this.db.transaction(async (q) => {
      const p = new SqlParams();
      const scope = await this.grid.scopePredicate(documentGrid, caller, p);
      const current = await this.repo.lockVisible(q, id, scope, p.values);
      if (!current) throw ApiError.notFound('Document', id);
      if (current.version !== dto.version) {
        throw ApiError.conflict(
          'VERSION_CONFLICT',
          `version: the document is at version ${current.version}, you sent ${dto.version}; reload it`,
          'version',
        );
      }
      const current_folder = await this.folders.requireForFiling(
        access,
        current.folder_id,
        'edit',
        'id',
        q,
      );
      if (dto.folderId !== undefined && dto.folderId !== current.folder_id) {
        await this.folders.requireForFiling(access, dto.folderId, 'create', 'folderId', q);
      }
      const { version: _v, ...fields } = dto;
      const changes = columnsOf(fields);
      const newVersion = await this.repo.update(q, id, dto.version, changes);
      if (newVersion === undefined)
        throw ApiError.conflict(
          'VERSION_CONFLICT',
          'version: the document changed meanwhile; reload it',
          'version',
        );
      await this.audit.record(q, {
        organizationId: current_folder.organizationId,
        entityType: 'document',
        entityId: id,
        action: 'update',
        changes: diff(current as unknown as Record<string, unknown>, changes),
      });
    });
    return this.get(caller, id);
  }

  async remove(caller: Principal, id: number): Promise<void> {
    const access = await this.permissions.require('document', 'delete');
    await this.db.transaction(async (q) => {
      const p = new SqlParams();
      const scope = await this.grid.scopePredicate(documentGrid, caller, p);
      const current = await this.repo.lockVisible(q, id, scope, p.values);
      if (!current) throw ApiError.notFound('Document', id);
      await this.folders.requireForFiling(access, current.folder_id, 'delete', 'id', q);
      await this.repo.delete(q, id);
      await this.audit.record(q, {
        organizationId: current.organization_id,
        entityType: 'document',
        entityId: id,
        action: 'delete',
        changes: { title: current.title, folder_id: current.folder_id },
      });
    });
  }
}
