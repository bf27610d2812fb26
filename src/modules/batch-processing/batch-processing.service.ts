import { Injectable } from '@nestjs/common';
import { Db } from '../../core/database/db.service';
import { ApiError } from '../../core/http/api-error';
import { AuditService } from '../audit/audit.service';
import { batchResource } from '../batch/batch.resource';
import type { BatchStatus } from '../batch/batch.entity';
import { PolicyEvaluator } from '../permission/policy-evaluator.service';
import { ResourceReader } from '../resource/resource-reader.service';
import { BatchProducer } from './batch.producer';
import { BatchStateRepository } from './batch-state.repository';

const RETRYABLE: readonly BatchStatus[] = ['failed', 'completed_with_errors', 'cancelled'];

@Injectable()
export class BatchProcessingService {
  constructor(
    private readonly db: Db,
    private readonly state: BatchStateRepository,
    private readonly policy: PolicyEvaluator,
    private readonly audit: AuditService,
    private readonly producer: BatchProducer,
    private readonly reader: ResourceReader,
  ) {}

  /**
   * Failed items back to pending and the batch processed again (a cancelled
   * batch resumes its pending items). Audited in the same transaction; the
   * enqueue follows the commit and, if Redis is away, is left to the sweeper.
   * Answers the batch as GET /batches/{id} does (with its progress).
   */
  async retry(id: number): Promise<Record<string, unknown>> {
    await this.db.transaction(async (q) => {
      const guard = await this.policy.guard(batchResource, 'retry');
      const batch = await this.state.lockForRetry(q, id, guard);
      if (!RETRYABLE.includes(batch.status)) {
        throw ApiError.conflict(
          'BATCH_NOT_RETRYABLE',
          `id: batch ${id} is ${batch.status}; only ${RETRYABLE.join(', ')} batches can be retried`,
          'id',
        );
      }
      const reset = await this.state.resetForRetry(q, id);
      await this.audit.record(q, {
        organizationId: batch.organizationId,
        entityType: 'batch',
        entityId: id,
        action: 'retry',
        changes: { status: { from: batch.status, to: 'pending' }, failedItemsReset: reset },
      });
    });
    await this.producer.enqueue(id);
    return this.reader.item(batchResource, id);
  }
}
