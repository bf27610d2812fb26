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
import { BatchRepository } from './batch.repository';
import type { CancelBatchDto } from './dto/cancel-batch.dto';
import type { PreparedBatch } from './batch-body';

const CANCELLABLE = ['pending', 'queued', 'processing'];

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
  async create(dto: PreparedBatch) {
    const access = await this.policy.access();
    const organizationId = targetOrganization(access, dto.organizationId);
    const id = await this.db.transaction(async (q) => {
      await this.checkReferences(q, access, organizationId, dto);
      const batchId = await this.repo.insert(q, {
        organization_id: organizationId,
        name: dto.name.trim(),
        source: dto.source,
        item_count: dto.itemCount,
        created_by: access.isPlatformAdmin ? null : access.userId,
      });
      await this.audit.record(q, {
        organizationId,
        entityType: 'batch',
        entityId: batchId,
        action: 'create',
        changes: { name: dto.name, source: dto.source, item_count: dto.itemCount },
      });
      let seq = 0;
      for (const part of dto.itemsJsonb) {
        seq += await this.repo.insertItemsJson(
          q,
          organizationId,
          batchId,
          Buffer.from(part.buffer, part.byteOffset, part.byteLength),
          seq,
        );
      }
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
    batch: PreparedBatch,
  ): Promise<void> {
    for (const [folderId, index] of batch.folders) {
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
    const types = new Map(batch.documentTypes);
    const unknown = await this.repo.unknownDocumentTypes(q, organizationId, [...types.keys()]);
    if (unknown.length > 0) {
      const [typeId, index] = unknown
        .map((t) => [t, types.get(t) ?? 0] as const)
        .reduce((a, b) => (b[1] < a[1] ? b : a));
      const field = `items.${index}.documentTypeId`;
      throw ApiError.badRequest(
        'VALIDATION_REFERENCE',
        `${field}: document type ${typeId} does not exist in the batch's organization`,
        field,
      );
    }
  }
}
