import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { MailPriority, MailStatus } from './mail-workflow';

/** An incoming mail item; assigned_to, assigned_by and assigned_on are all set or all null. */
@Entity({ name: 'mails' })
export class Mail {
  @PrimaryGeneratedColumn('identity', {
    name: 'id',
    type: 'bigint',
    generatedIdentity: 'BY DEFAULT',
  })
  id!: number;

  @Column({ name: 'organization_id', type: 'bigint' })
  organizationId!: number;

  @Column({ name: 'batch_id', type: 'bigint', nullable: true })
  batchId!: number | null;

  @Column({ name: 'folder_id', type: 'bigint', nullable: true })
  folderId!: number | null;

  @Column({ name: 'subject', type: 'text' })
  subject!: string;

  @Column({ name: 'sender', type: 'text' })
  sender!: string;

  @Column({ name: 'received_on', type: 'timestamptz' })
  receivedOn!: string;

  @Column({ name: 'priority', type: 'text' })
  priority!: MailPriority;

  @Column({ name: 'status', type: 'text' })
  status!: MailStatus;

  @Column({ name: 'assigned_to', type: 'bigint', nullable: true })
  assignedTo!: number | null;

  @Column({ name: 'assigned_by', type: 'bigint', nullable: true })
  assignedBy!: number | null;

  @Column({ name: 'assigned_on', type: 'timestamptz', nullable: true })
  assignedOn!: string | null;

  /** Idempotency key of the batch item that made it, unique within the batch. */
  @Column({ name: 'source_key', type: 'text', nullable: true })
  sourceKey!: string | null;

  @Column({ name: 'version', type: 'integer' })
  version!: number;

  @Column({ name: 'created_on', type: 'timestamptz' })
  createdOn!: string;

  @Column({ name: 'updated_on', type: 'timestamptz' })
  updatedOn!: string;
}
