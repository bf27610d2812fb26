import { Injectable } from '@nestjs/common';
import type { Principal } from '../../core/context/request-context.service';
import { Db } from '../../core/database/db.service';
import type { Queryable } from '../../core/database/db.service';
import { SqlParams } from '../../core/grid/grid-sql';
import { GridService } from '../../core/grid/grid.service';
import type { RawQuery } from '../../core/grid/grid-query.parser';
import { ApiError } from '../../core/http/api-error';
import { AuditService } from '../audit/audit.service';
import { FolderService } from '../folder/folder.service';
import { PermissionService } from '../permission/permission.service';
import type { UserAccess } from '../permission/permission.types';
import { batchGrid } from './batch.grid';
import type { BatchItemPayload } from './batch.repository';
import { BatchRepository } from './batch.repository';
import type { BatchItemDto } from './dto/batch-item.dto';
import type { CancelBatchDto } from './dto/cancel-batch.dto';
import type { CreateBatchDto } from './dto/create-batch.dto';

const CANCELLABLE = ['pending', 'queued', 'processing'];

export interface BatchProgress {
  processed: number;
  failed: number;
  remaining: number;
  /** Share of items handled (processed or failed), 0–100, one decimal. */
  percent: number;
}

export function progressOf(row: Record<string, unknown>): BatchProgress {
  const total = Number(row.item_count);
  const processed = Number(row.processed_count);
  const failed = Number(row.failed_count);
  const handled = processed + failed;
  return {
    processed,
    failed,
    remaining: Math.max(0, total - handled),
    percent: total === 0 ? 100 : Math.round((handled / total) * 1000) / 10,
  };
}

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
    private readonly grid: GridService,
    private readonly repo: BatchRepository,
    private readonly permissions: PermissionService,
    private readonly folders: FolderService,
    private readonly audit: AuditService,
  ) {}

  async list(caller: Principal, query: RawQuery) {
    await this.permissions.requireTab('batch');
    return this.grid.list(batchGrid, caller, query);
  }

  async values(caller: Principal, column: string, query: RawQuery) {
    await this.permissions.requireTab('batch');
    return this.grid.values(batchGrid, caller, column, query);
  }

  async get(caller: Principal, id: number) {
    const row = await this.grid.item(batchGrid, caller, id);
    if (!row) throw ApiError.notFound('Batch', id);
    return { ...row, progress: progressOf(row) };
  }

  /** Stores the batch and all its items in one transaction, status pending, then hands it on. */
  async create(caller: Principal, dto: CreateBatchDto) {
    const access = await this.permissions.require('batch', 'create');
    const organizationId = this.organizationFor(access, dto.organizationId);
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
    return this.get(caller, id);
  }

  /**
   * Hook for the processing queue, called after the batch has committed. A no-op
   * until the queue work fills it in; a batch left pending (crash here, Redis
   * down) is to be found again by the sweeper over batches_unfinished_idx.
   */
  async afterCreate(_batchId: number): Promise<void> {}

  async cancel(caller: Principal, id: number, dto: CancelBatchDto) {
    await this.permissions.require('batch', 'edit');
    await this.db.transaction(async (q) => {
      const p = new SqlParams();
      const scope = await this.grid.scopePredicate(batchGrid, caller, p);
      const current = await this.repo.lockVisible(q, id, scope, p.values);
      if (!current) throw ApiError.notFound('Batch', id);
      if (dto.version !== undefined && dto.version !== current.version) {
        throw ApiError.conflict(
          'VERSION_CONFLICT',
          `version: the batch is at version ${current.version}, you sent ${dto.version}; reload it`,
          'version',
        );
      }
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
    return this.get(caller, id);
  }

  private organizationFor(access: UserAccess, named: number | undefined): number {
    if (access.isPlatformAdmin) {
      if (named === undefined) {
        throw ApiError.badRequest(
          'VALIDATION_FAILED',
          'organizationId: platform administrators name the organization of the batch',
          'organizationId',
        );
      }
      return named;
    }
    if (named !== undefined && named !== access.organizationId) {
      throw ApiError.badRequest(
        'VALIDATION_ORGANIZATION',
        'organizationId: you can only create batches for your own organization',
        'organizationId',
      );
    }
    return access.organizationId as number;
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
