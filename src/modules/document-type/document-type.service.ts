import { Injectable } from '@nestjs/common';
import type { Principal } from '../../core/context/request-context.service';
import { Db } from '../../core/database/db.service';
import { SqlParams } from '../../core/grid/grid-sql';
import { GridService } from '../../core/grid/grid.service';
import type { RawQuery } from '../../core/grid/grid-query.parser';
import { ApiError } from '../../core/http/api-error';
import { AuditService, diff } from '../audit/audit.service';
import { PermissionService } from '../permission/permission.service';
import { targetOrganization } from '../permission/target-organization';
import { documentTypeGrid } from './document-type.grid';
import type { DocumentTypeColumns } from './document-type.repository';
import { DocumentTypeRepository, USAGE_COUNT_CAP } from './document-type.repository';
import type { CreateDocumentTypeDto } from './dto/create-document-type.dto';
import type { UpdateDocumentTypeDto } from './dto/update-document-type.dto';

function columnsOf(dto: Partial<CreateDocumentTypeDto>): DocumentTypeColumns {
  return {
    name: dto.name?.trim(),
    description: dto.description === null ? '' : dto.description,
    retention_days: dto.retentionDays,
  };
}

@Injectable()
export class DocumentTypeService {
  constructor(
    private readonly db: Db,
    private readonly grid: GridService,
    private readonly repo: DocumentTypeRepository,
    private readonly permissions: PermissionService,
    private readonly audit: AuditService,
  ) {}

  async list(caller: Principal, query: RawQuery) {
    await this.permissions.requireTab('document_type');
    return this.grid.list(documentTypeGrid, caller, query);
  }

  async values(caller: Principal, column: string, query: RawQuery) {
    await this.permissions.requireTab('document_type');
    return this.grid.values(documentTypeGrid, caller, column, query);
  }

  async get(caller: Principal, id: number) {
    const row = await this.grid.item(documentTypeGrid, caller, id);
    if (!row) throw ApiError.notFound('Document type', id);
    return row;
  }

  async create(caller: Principal, dto: CreateDocumentTypeDto) {
    const access = await this.permissions.require('document_type', 'create');
    const organizationId = targetOrganization(access, dto.organizationId);
    const id = await this.db.transaction(async (q) => {
      const { organizationId: _o, ...fields } = dto;
      const changes = columnsOf(fields);
      const newId = await this.repo.insert(q, { ...changes, organization_id: organizationId });
      await this.audit.record(q, {
        organizationId,
        entityType: 'document_type',
        entityId: newId,
        action: 'create',
        changes,
      });
      return newId;
    });
    return this.get(caller, id);
  }

  async update(caller: Principal, id: number, dto: UpdateDocumentTypeDto) {
    await this.permissions.require('document_type', 'edit');
    await this.db.transaction(async (q) => {
      const p = new SqlParams();
      const scope = await this.grid.scopePredicate(documentTypeGrid, caller, p);
      const current = await this.repo.lockVisible(q, id, scope, p.values);
      if (!current) throw ApiError.notFound('Document type', id);
      if (current.version !== dto.version) {
        throw ApiError.conflict(
          'VERSION_CONFLICT',
          `version: the document type is at version ${current.version}, you sent ${dto.version}; reload it`,
          'version',
        );
      }
      const { version: _v, ...fields } = dto;
      const changes = columnsOf(fields);
      const newVersion = await this.repo.update(q, id, dto.version, changes);
      if (newVersion === undefined)
        throw ApiError.conflict(
          'VERSION_CONFLICT',
          'version: the document type changed meanwhile; reload it',
          'version',
        );
      await this.audit.record(q, {
        organizationId: current.organization_id,
        entityType: 'document_type',
        entityId: id,
        action: 'update',
        changes: diff(current as unknown as Record<string, unknown>, changes),
      });
    });
    return this.get(caller, id);
  }

  /** Refused with 409 DOCUMENT_TYPE_IN_USE while documents are of this type. */
  async remove(caller: Principal, id: number): Promise<void> {
    await this.permissions.require('document_type', 'delete');
    await this.db.transaction(async (q) => {
      const p = new SqlParams();
      const scope = await this.grid.scopePredicate(documentTypeGrid, caller, p);
      const current = await this.repo.lockVisible(q, id, scope, p.values);
      if (!current) throw ApiError.notFound('Document type', id);
      const used = await this.repo.usage(q, id);
      if (used > 0) {
        const how = used > USAGE_COUNT_CAP ? `more than ${USAGE_COUNT_CAP}` : String(used);
        throw ApiError.conflict(
          'DOCUMENT_TYPE_IN_USE',
          `id: document type ${id} (${current.name}) is the type of ${how} document${used === 1 ? '' : 's'}; give them another type or delete them first`,
          'id',
        );
      }
      await this.repo.delete(q, id);
      await this.audit.record(q, {
        organizationId: current.organization_id,
        entityType: 'document_type',
        entityId: id,
        action: 'delete',
        changes: { name: current.name },
      });
    });
  }
}
