import { Inject, Injectable } from '@nestjs/common';
import { Db } from '../../core/database/db.service';
import type { Queryable } from '../../core/database/db.service';
import { ApiError } from '../../core/http/api-error';
import { AuditService } from '../audit/audit.service';
import { FolderService } from '../folder/folder.service';
import { PolicyEvaluator } from '../permission/policy-evaluator.service';
import { targetOrganization } from '../permission/target-organization';
import type { UserAccess } from '../permission/permission.types';
import { ResourceReader } from '../resource/resource-reader.service';
import type { BatchEnqueuer } from './batch-enqueuer';
import { BATCH_ENQUEUER } from './batch-enqueuer';
import { batchResource } from './batch.resource';
import type { BatchItemPayload } from './batch.repository';
import { BatchRepository } from './batch.repository';
import type { BatchItemDto } from './dto/batch-item.dto';
import type { CancelBatchDto } from './dto/cancel-batch.dto';
import type { CreateBatchDto } from './dto/create-batch.dto';

const CANCELLABLE = ['pending', 'queued', 'processing'];

function payloadOf(item: BatchItemDto): BatchItemPayload {
  const p: BatchItemPayload = { subject: item.subject.trim(), sender: item.sender.trim() };
  if (item.receivedOn !== undefined) p.receivedOn = item.receivedOn;
  if (item.priority !== undefined) p.priority = item.priority;
  if (item.documentTitle !== undefined) p.documentTitle = item.documentTitle.trim();
  if (item.documentTypeId !== undefined) p.documentTypeId = item.documentTypeId;
  if (item.folderId !== undefined) p.folderId = item.folderId;
  return p;
}

/** The first item index at which each distinct value of a field occurs. */
function firstIndexes(items: BatchItemDto[], pick: (i: BatchItemDto) => number | undefined) {
  const first = new Map<number, number>();
  items.forEach((item, index) => {
    const v = pick(item);
    if (v !== undefined && !first.has(v)) first.set(v, index);
  });
  return first;
}

@Injectable()
export class BatchService {
  constructor(
    private readonly db: Db,
    private readonly reader: ResourceReader,
    private readonly repo: BatchRepository,
    private readonly policy: PolicyEvaluator,
    private readonly folders: FolderService,
    private readonly audit: AuditService,
    @Inject(BATCH_ENQUEUER) private readonly producer: BatchEnqueuer,
  ) {}

  /** Stores the batch and all its items in one transaction, status pending, then hands it on. */
  async create(dto: CreateBatchDto) {
    const access = await this.policy.access();
    const organizationId = targetOrganization(access, dto.organizationId);
    const id = await this.db.transaction(async (q) => {
      await this.checkReferences(q, access, organizationId, dto.items);
      const batchId = await this.repo.insert(q, {
        organization_id: organizationId,
        name: dto.name.trim(),
        source: dto.source,
        item_count: dto.items.length,
        created_by: access.isPlatformAdmin ? null : access.userId,
      });
      await this.audit.record(q, {
        organizationId,
        entityType: 'batch',
        entityId: batchId,
        action: 'create',
        changes: { name: dto.name, source: dto.source, item_count: dto.items.length },
      });
      await this.repo.insertItems(q, organizationId, batchId, dto.items.map(payloadOf));
      return batchId;
    });
    await this.afterCreate(id);
    return this.reader.item(batchResource, id);
  }

  /**
   * Called after the batch has committed: hands it to the processing queue.
   * Enqueueing is bounded and never throws; a batch left pending (crash here,
   * Redis down) is found again by the sweeper over batches_unfinished_idx.
   */
  async afterCreate(batchId: number): Promise<void> {
    await this.producer.enqueue(batchId);
  }

  async cancel(id: number, dto: CancelBatchDto) {
    await this.db.transaction(async (q) => {
      const guard = await this.policy.guard(batchResource, 'cancel');
      const current = await this.repo.lock(q, id, guard, 'cancel', dto.version);
      if (!CANCELLABLE.includes(current.status)) {
        throw ApiError.conflict(
          'BATCH_NOT_CANCELLABLE',
          `id: the batch is ${current.status}; only ${CANCELLABLE.join(', ')} batches can be cancelled`,
          'id',
        );
      }
      await this.repo.cancel(q, id);
      await this.audit.record(q, {
        organizationId: current.organization_id,
        entityType: 'batch',
        entityId: id,
        action: 'cancel',
        changes: { status: { from: current.status, to: 'cancelled' } },
      });
    });
    return this.reader.item(batchResource, id);
  }

  /**
   * Folders and document types the items name, checked once per distinct id:
   * in the batch's organization, and folders open to the caller for filing.
   */
  private async checkReferences(
    q: Queryable,
    access: UserAccess,
    organizationId: number,
    items: BatchItemDto[],
  ): Promise<void> {
    for (const [folderId, index] of firstIndexes(items, (i) => i.folderId)) {
      const field = `items.${index}.folderId`;
      const folder = await this.folders.requireForFiling(access, folderId, 'create', field, q);
      if (folder.organizationId !== organizationId) {
        throw ApiError.badRequest(
          'FOLDER_NOT_FOUND',
          `${field}: folder ${folderId} is not in the batch's organization`,
          field,
        );
      }
    }
    const types = firstIndexes(items, (i) => i.documentTypeId);
    const unknown = await this.repo.unknownDocumentTypes(q, organizationId, [...types.keys()]);
    if (unknown.length > 0) {
      const index = Math.min(...unknown.map((t) => types.get(t) ?? 0));
      const field = `items.${index}.documentTypeId`;
      throw ApiError.badRequest(
        'VALIDATION_REFERENCE',
        `${field}: document type ${items[index].documentTypeId} does not exist in the batch's organization`,
        field,
      );
    }
  }
}
