import { Inject, Injectable, Optional } from '@nestjs/common';
import type { AppConfig } from '../../core/config/config.schema';
import { APP_CONFIG } from '../../core/config/config.module';
import type { Queryable } from '../../core/database/db.service';
import { Db } from '../../core/database/db.service';
import { Tracing } from '../../core/observability/tracing';
import type { BatchStatus } from '../batch/batch.entity';
import type { ValidItem } from './batch-item-payload';
import { checkItemPayload } from './batch-item-payload';
import type { ClaimedItem, RunnableBatch } from './batch-processing.repository';
import { BatchProcessingRepository } from './batch-processing.repository';

/** This process is shutting down: the job goes back to the queue for another worker. */
export class WorkerStoppingError extends Error {
  constructor() {
    super('the worker is shutting down; another worker continues the batch');
    this.name = 'WorkerStoppingError';
  }
}

/**
 * finished: the batch ended here; not-runnable: it had already ended, was
 * cancelled or does not exist; cancelled: cancelled while running; elsewhere:
 * its last items are held by another run, which ends it.
 */
export type RunOutcome = 'finished' | 'not-runnable' | 'cancelled' | 'elsewhere';

interface Accepted {
  itemId: number;
  sourceKey: string;
  item: ValidItem;
  folderId: number | null;
}

/**
 * Turns a batch's items into mails (and documents when a title is given), one
 * transaction per chunk of BATCH_CHUNK_SIZE items, BATCH_PARALLEL_CHUNKS chunks
 * at a time. Safe to run twice, at once
 * or one after the other: items are claimed by status with SKIP LOCKED, and a
 * mail or document is keyed by (batch, source key).
 */
@Injectable()
export class BatchRunner {
  constructor(
    private readonly db: Db,
    private readonly repo: BatchProcessingRepository,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
    @Optional() private readonly tracing?: Tracing,
  ) {}

  async run(batchId: number, stopping: () => boolean = () => false): Promise<RunOutcome> {
    const batch = await this.repo.start(batchId);
    if (!batch) return 'not-runnable';
    // Chunks in parallel (each its own transaction and connection): while one
    // is written, the next one's items are read and checked.
    const lanes = await Promise.allSettled(
      Array.from({ length: this.cfg.queue.batchParallelChunks }, () => this.lane(batch, stopping)),
    );
    const failed = lanes.find((l) => l.status === 'rejected');
    if (failed) throw failed.reason;
    if (lanes.some((l) => l.status === 'fulfilled' && l.value === 'cancelled')) return 'cancelled';
    return (await this.repo.finish(batchId)) ? 'finished' : 'elsewhere';
  }

  /** Chunk after chunk until no item is left to claim or the batch is no longer processing. */
  private async lane(
    batch: RunnableBatch,
    stopping: () => boolean,
  ): Promise<'drained' | 'cancelled'> {
    for (;;) {
      if (stopping()) throw new WorkerStoppingError();
      const chunk = this.tracing?.on
        ? await this.tracing.inChild('batch.chunk', { 'batch.id': batch.id }, () =>
            this.db.transaction((q) => this.chunk(q, batch)),
          )
        : await this.db.transaction((q) => this.chunk(q, batch));
      if (chunk.status !== 'processing') return 'cancelled';
      if (chunk.claimed < this.cfg.queue.batchChunkSize) return 'drained';
    }
  }

  private async chunk(
    q: Queryable,
    batch: RunnableBatch,
  ): Promise<{ claimed: number; status: BatchStatus }> {
    const items = await this.repo.claimPending(q, batch.id, this.cfg.queue.batchChunkSize);
    if (items.length === 0) return { claimed: 0, status: 'processing' };
    const { accepted, failed } = await this.sort(q, batch, items);

    const mailIds = await this.repo.insertMails(
      q,
      batch,
      accepted.map((a) => ({
        sourceKey: a.sourceKey,
        folderId: a.folderId,
        subject: a.item.subject,
        sender: a.item.sender,
        receivedOn: a.item.receivedOn,
        priority: a.item.priority,
      })),
    );
    const withDocument = accepted.filter((a) => a.item.documentTitle !== null);
    const documentIds = await this.repo.insertDocuments(
      q,
      batch,
      withDocument.map((a) => ({
        sourceKey: a.sourceKey,
        folderId: a.folderId!,
        documentTypeId: a.item.documentTypeId,
        mailId: mailIds.get(a.sourceKey)!,
        title: a.item.documentTitle!,
      })),
    );
    await this.repo.markDone(
      q,
      accepted.map((a) => ({
        id: a.itemId,
        mailId: mailIds.get(a.sourceKey)!,
        documentId: documentIds.get(a.sourceKey) ?? null,
      })),
    );
    await this.repo.markFailed(q, failed);
    const status = await this.repo.addProgress(q, batch.id, accepted.length, failed.length);
    return { claimed: items.length, status };
  }

  /** Valid items, and the others with the reason naming the field. */
  private async sort(
    q: Queryable,
    batch: RunnableBatch,
    items: ClaimedItem[],
  ): Promise<{ accepted: Accepted[]; failed: { id: number; reason: string }[] }> {
    const failed: { id: number; reason: string }[] = [];
    const valid: { id: number; seq: number; item: ValidItem }[] = [];
    for (const i of items) {
      const check = checkItemPayload(i.payload);
      if (check.ok) valid.push({ id: i.id, seq: i.seq, item: check.item });
      else failed.push({ id: i.id, reason: check.reason });
    }
    const folderIds = new Set<number>();
    const typeIds = new Set<number>();
    for (const v of valid) {
      if (v.item.folderId !== null) folderIds.add(v.item.folderId);
      if (v.item.documentTypeId !== null) typeIds.add(v.item.documentTypeId);
    }
    const known = await this.repo.knownReferences(
      q,
      batch.organizationId,
      [...folderIds],
      [...typeIds],
    );
    const accepted: Accepted[] = [];
    for (const v of valid) {
      const folderId = v.item.folderId ?? batch.inboxFolderId;
      let reason: string | undefined;
      if (v.item.folderId !== null && !known.folders.has(v.item.folderId)) {
        reason = `folderId: folder ${v.item.folderId} does not exist in this organization`;
      } else if (v.item.documentTypeId !== null && !known.types.has(v.item.documentTypeId)) {
        reason = `documentTypeId: document type ${v.item.documentTypeId} does not exist in this organization`;
      } else if (v.item.documentTitle !== null && folderId === null) {
        reason = 'folderId: not given, and the organization has no Inbox to file the document in';
      }
      if (reason) failed.push({ id: v.id, reason });
      else accepted.push({ itemId: v.id, sourceKey: `item:${v.seq}`, item: v.item, folderId });
    }
    return { accepted, failed };
  }
}
