import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One persisted request measurement (slow or sampled); no foreign keys, so it never blocks a delete. */
@Entity({ name: 'request_metrics' })
export class RequestMetric {
  @PrimaryGeneratedColumn('identity', {
    name: 'id',
    type: 'bigint',
    generatedIdentity: 'BY DEFAULT',
  })
  id!: number;

  @Column({ name: 'created_on', type: 'timestamptz' })
  createdOn!: string;

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId!: string | null;

  @Column({ name: 'method', type: 'text' })
  method!: string;

  @Column({ name: 'route', type: 'text' })
  route!: string;

  @Column({ name: 'status_code', type: 'smallint' })
  statusCode!: number;

  @Column({ name: 'duration_ms', type: 'real' })
  durationMs!: number;

  @Column({ name: 'db_statements', type: 'smallint', nullable: true })
  dbStatements!: number | null;

  @Column({ name: 'user_id', type: 'bigint', nullable: true })
  userId!: number | null;

  @Column({ name: 'organization_id', type: 'bigint', nullable: true })
  organizationId!: number | null;

  @Column({ name: 'sampled_because', type: 'text' })
  sampledBecause!: 'slow' | 'sample';
}
