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

  /** Waited for admission (the in-flight cap) before anything of it ran. */
  @Column({ name: 'admission_wait_ms', type: 'real', nullable: true })
  admissionWaitMs!: number | null;

  /** Waited for pooled connections, all its acquires together. */
  @Column({ name: 'pool_wait_ms', type: 'real', nullable: true })
  poolWaitMs!: number | null;

  /** duration_ms less both waits: what "slow" is judged on. */
  @Column({ name: 'handled_ms', type: 'real', nullable: true })
  handledMs!: number | null;

  @Column({ name: 'trace_id', type: 'text', nullable: true })
  traceId!: string | null;

  @Column({ name: 'db_statements', type: 'smallint', nullable: true })
  dbStatements!: number | null;

  @Column({ name: 'user_id', type: 'bigint', nullable: true })
  userId!: number | null;

  @Column({ name: 'organization_id', type: 'bigint', nullable: true })
  organizationId!: number | null;

  @Column({ name: 'sampled_because', type: 'text' })
  sampledBecause!: 'slow' | 'sample';
}
