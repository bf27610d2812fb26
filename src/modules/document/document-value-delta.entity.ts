import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A change to a kept count, written by the documents triggers and folded in by the compaction. */
@Entity({ name: 'document_value_deltas' })
export class DocumentValueDelta {
  @PrimaryGeneratedColumn('identity', { name: 'id', type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: number;

  @Column({ name: 'organization_id', type: 'bigint' })
  organizationId!: number;

  @Column({ name: 'folder_id', type: 'bigint' })
  folderId!: number;

  @Column({ name: 'column_key', type: 'text' })
  columnKey!: string;

  @Column({ name: 'value', type: 'text', nullable: true })
  value!: string | null;

  @Column({ name: 'n', type: 'bigint' })
  n!: number;
}
