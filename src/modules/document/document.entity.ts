import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type DocumentStatus = 'draft' | 'active' | 'in_review' | 'archived';

/** A filed document: in a folder, typed, possibly from a mail and a batch. */
@Entity({ name: 'documents' })
export class Document {
  @PrimaryGeneratedColumn('identity', {
    name: 'id',
    type: 'bigint',
    generatedIdentity: 'BY DEFAULT',
  })
  id!: number;

  @Column({ name: 'organization_id', type: 'bigint' })
  organizationId!: number;

  @Column({ name: 'folder_id', type: 'bigint' })
  folderId!: number;

  @Column({ name: 'document_type_id', type: 'bigint', nullable: true })
  documentTypeId!: number | null;

  @Column({ name: 'mail_id', type: 'bigint', nullable: true })
  mailId!: number | null;

  @Column({ name: 'batch_id', type: 'bigint', nullable: true })
  batchId!: number | null;

  @Column({ name: 'title', type: 'text' })
  title!: string;

  @Column({ name: 'status', type: 'text' })
  status!: DocumentStatus;

  @Column({ name: 'file_name', type: 'text', nullable: true })
  fileName!: string | null;

  @Column({ name: 'mime_type', type: 'text', nullable: true })
  mimeType!: string | null;

  @Column({ name: 'size_bytes', type: 'bigint', nullable: true })
  sizeBytes!: number | null;

  @Column({ name: 'page_count', type: 'integer', nullable: true })
  pageCount!: number | null;

  /** A calendar date (YYYY-MM-DD), as PostgreSQL sends it. */
  @Column({ name: 'document_date', type: 'date', nullable: true })
  documentDate!: string | null;

  @Column({ name: 'created_by', type: 'bigint', nullable: true })
  createdBy!: number | null;

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
