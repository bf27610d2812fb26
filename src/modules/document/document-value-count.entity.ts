import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The shape both tables of kept counts share: a count, or a change to one, of
 * one value of a documents column in one folder.
 */
export abstract class DocumentValueTally {
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

/** Kept count of one value of a documents column in one folder (value discovery; see DocumentValueCountsRepository). */
@Entity({ name: 'document_value_counts' })
export class DocumentValueCount extends DocumentValueTally {}
