import type { DynamicModule, Provider, Type } from '@nestjs/common';
import { Module } from '@nestjs/common';
import type { AppRole } from '../../core/config/config.schema';
import { QueueModule } from '../../core/queue/queue.module';
import { AuditModule } from '../audit/audit.module';
import { BATCH_ENQUEUER } from '../batch/batch-enqueuer';
import { BatchProcessor } from './batch.processor';
import { BatchProducer } from './batch.producer';
import { BatchSweeper } from './batch.sweeper';
import { BatchProcessingController } from './batch-processing.controller';
import { BatchProcessingRepository } from './batch-processing.repository';
import { BatchStateRepository } from './batch-state.repository';
import { BatchProcessingService } from './batch-processing.service';
import { BatchRunner } from './batch-runner';

/**
 * Batch processing on the batch queue. Every role can enqueue (BatchProducer,
 * exported globally as the batches module's BATCH_ENQUEUER, called after its
 * create commits);
 * worker and all run the processor and the sweeper; api and all serve the
 * retry route.
 */
@Module({})
export class BatchProcessingModule {
  static forRole(role: AppRole): DynamicModule {
    const serves = role !== 'worker';
    const works = role !== 'api';
    const providers: Provider[] = [
      BatchStateRepository,
      BatchProducer,
      { provide: BATCH_ENQUEUER, useExisting: BatchProducer },
    ];
    if (works) providers.push(BatchProcessingRepository, BatchRunner, BatchProcessor, BatchSweeper);
    if (serves) providers.push(BatchProcessingService);
    const controllers: Type[] = serves ? [BatchProcessingController] : [];
    return {
      module: BatchProcessingModule,
      global: true,
      imports: serves ? [QueueModule, AuditModule] : [QueueModule],
      controllers,
      providers,
      exports: [BatchProducer, BATCH_ENQUEUER],
    };
  }
}
