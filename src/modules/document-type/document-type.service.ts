import { Injectable } from '@nestjs/common';
import { Db } from '../../core/database/db.service';
import { ApiError } from '../../core/http/api-error';
import { AuditService, diff } from '../audit/audit.service';
import { PolicyEvaluator } from '../permission/policy-evaluator.service';
import { targetOrganization } from '../permission/target-organization';
import { ResourceReader } from '../resource/resource-reader.service';
import { documentTypeResource } from './document-type.resource';
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
    private readonly reader: ResourceReader,
    private readonly repo: DocumentTypeRepository,
    private readonly policy: PolicyEvaluator,
    private readonly audit: AuditService,
  ) {}

  async create(dto: CreateDocumentTypeDto) {
    const access = await this.policy.access();
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
    return this.reader.item(documentTypeResource, id);
  }

  async update(id: number, dto: UpdateDocumentTypeDto) {
    await this.db.transaction(async (q) => {
      const guard = await this.policy.guard(documentTypeResource, 'edit');
      const current = await this.repo.lock(q, id, guard, 'edit', dto.version);
      const { version: _v, ...fields } = dto;
      const changes = columnsOf(fields);
      const changed = diff(current as unknown as Record<string, unknown>, changes);
      if (Object.keys(changed).length === 0) return; // nothing changes: no version, no audit
      const newVersion = await this.repo.update(q, id, dto.version, changes);
      if (newVersion === undefined) throw ApiError.versionConflict('Document type');
      await this.audit.record(q, {
        organizationId: current.organization_id,
        entityType: 'document_type',
        entityId: id,
        action: 'update',
        changes: changed,
      });
    });
    return this.reader.item(documentTypeResource, id);
  }

  /** Refused with 409 DOCUMENT_TYPE_IN_USE while documents are of this type. */
  async remove(id: number): Promise<void> {
    await this.db.transaction(async (q) => {
      const guard = await this.policy.guard(documentTypeResource, 'delete');
      const current = await this.repo.lock(q, id, guard, 'delete');
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
