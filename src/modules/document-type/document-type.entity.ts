import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A kind of document an organization files (invoice, contract, ...). */
@Entity({ name: 'document_types' })
export class DocumentType {
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

  @Column({ name: 'description', type: 'text' })
  description!: string;

  @Column({ name: 'retention_days', type: 'integer', nullable: true })
  retentionDays!: number | null;

  @Column({ name: 'version', type: 'integer' })
  version!: number;

  @Column({ name: 'created_on', type: 'timestamptz' })
  createdOn!: string;

  @Column({ name: 'updated_on', type: 'timestamptz' })
  updatedOn!: string;
}
