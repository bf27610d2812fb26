import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type BatchSource = 'scan' | 'email' | 'upload' | 'api';
export type BatchStatus =
  | 'pending'
  | 'queued'
  | 'processing'
  | 'completed'
  | 'completed_with_errors'
  | 'failed'
  | 'cancelled';

/** An intake batch and the progress of its processing job. */
@Entity({ name: 'batches' })
export class Batch {
  @PrimaryGeneratedColumn('identity', {
    name: 'id',
    type: 'bigint',
    generatedIdentity: 'BY DEFAULT',
  })
  id!: number;

  @Column({ name: 'organization_id', type: 'bigint' })
  organizationId!: number;

  @Column({ name: 'name', type: 'text' })
  name!: string;

  @Column({ name: 'source', type: 'text' })
  source!: BatchSource;

  @Column({ name: 'status', type: 'text' })
  status!: BatchStatus;

  @Column({ name: 'item_count', type: 'integer' })
  itemCount!: number;

  @Column({ name: 'processed_count', type: 'integer' })
  processedCount!: number;

  @Column({ name: 'failed_count', type: 'integer' })
  failedCount!: number;

  @Column({ name: 'attempts', type: 'integer' })
  attempts!: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'created_by', type: 'bigint', nullable: true })
  createdBy!: number | null;

  @Column({ name: 'enqueued_on', type: 'timestamptz', nullable: true })
  enqueuedOn!: string | null;

  @Column({ name: 'started_on', type: 'timestamptz', nullable: true })
  startedOn!: string | null;

  @Column({ name: 'heartbeat_on', type: 'timestamptz', nullable: true })
  heartbeatOn!: string | null;

  @Column({ name: 'finished_on', type: 'timestamptz', nullable: true })
  finishedOn!: string | null;

  @Column({ name: 'version', type: 'integer' })
  version!: number;

  @Column({ name: 'created_on', type: 'timestamptz' })
  createdOn!: string;

  @Column({ name: 'updated_on', type: 'timestamptz' })
  updatedOn!: string;
}
