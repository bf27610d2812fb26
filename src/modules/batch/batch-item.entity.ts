import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type BatchItemStatus = 'pending' | 'done' | 'failed';

/** One item of a batch (a scanned page set, an e-mail, a file) and what it became. */
@Entity({ name: 'batch_items' })
export class BatchItem {
  @PrimaryGeneratedColumn('identity', {
    name: 'id',
    type: 'bigint',
    generatedIdentity: 'BY DEFAULT',
  })
  id!: number;

  @Column({ name: 'organization_id', type: 'bigint' })
  organizationId!: number;

  @Column({ name: 'batch_id', type: 'bigint' })
  batchId!: number;

  @Column({ name: 'seq', type: 'integer' })
  seq!: number;

  @Column({ name: 'payload', type: 'jsonb' })
  payload!: Record<string, unknown>;

  @Column({ name: 'status', type: 'text' })
  status!: BatchItemStatus;

  @Column({ name: 'error', type: 'text', nullable: true })
  error!: string | null;

  @Column({ name: 'mail_id', type: 'bigint', nullable: true })
  mailId!: number | null;

  @Column({ name: 'document_id', type: 'bigint', nullable: true })
  documentId!: number | null;

  @Column({ name: 'processed_on', type: 'timestamptz', nullable: true })
  processedOn!: string | null;
}
