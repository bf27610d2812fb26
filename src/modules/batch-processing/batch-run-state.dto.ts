import { ApiProperty } from '@nestjs/swagger';
import { BATCH_STATUSES } from '../batch/batch.grid';
import type { BatchStatus } from '../batch/batch.entity';
import type { BatchProgress } from './batch-state.repository';

/** A batch's state around its processing, as a retry answers it (BatchProgress). */
export class BatchRunStateDto implements BatchProgress {
  @ApiProperty({ type: 'integer' }) id!: number;
  @ApiProperty({ enum: BATCH_STATUSES }) status!: BatchStatus;
  @ApiProperty({ type: 'integer' }) itemCount!: number;
  @ApiProperty({ type: 'integer' }) processedCount!: number;
  @ApiProperty({ type: 'integer' }) failedCount!: number;
  @ApiProperty({ type: 'integer' }) attempts!: number;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
  @ApiProperty({ type: String, nullable: true }) enqueuedOn!: string | null;
  @ApiProperty({ type: String, nullable: true }) startedOn!: string | null;
  @ApiProperty({ type: String, nullable: true }) heartbeatOn!: string | null;
  @ApiProperty({ type: String, nullable: true }) finishedOn!: string | null;
}
