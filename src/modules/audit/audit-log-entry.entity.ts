import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Who changed what, written in the same transaction as the change. */
@Entity({ name: 'audit_log' })
export class AuditLogEntry {
  @PrimaryGeneratedColumn('identity', {
    name: 'id',
    type: 'bigint',
    generatedIdentity: 'BY DEFAULT',
  })
  id!: number;

  @Column({ name: 'organization_id', type: 'bigint', nullable: true })
  organizationId!: number | null;

  @Column({ name: 'actor_id', type: 'bigint', nullable: true })
  actorId!: number | null;

  @Column({ name: 'entity_type', type: 'text' })
  entityType!: string;

  @Column({ name: 'entity_id', type: 'bigint', nullable: true })
  entityId!: number | null;

  /** The audited record's folder at the time of the change: the audit grid's folder scope. */
  @Column({ name: 'folder_id', type: 'bigint', nullable: true })
  folderId!: number | null;

  @Column({ name: 'action', type: 'text' })
  action!: string;

  @Column({ name: 'changes', type: 'jsonb' })
  changes!: Record<string, unknown>;

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId!: string | null;

  @Column({ name: 'created_on', type: 'timestamptz' })
  createdOn!: string;
}
