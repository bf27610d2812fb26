import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * request_metrics: where a request's time went. "Slow" is judged on the time it
 * was handled (handled_ms), not on its wait for admission (admission_wait_ms)
 * and for pool connections (pool_wait_ms), which grow with load, not with the
 * route's own cost. trace_id links a row to its trace when tracing is on.
 */
export class RequestMetricWaits1765400000000 implements MigrationInterface {
  name = 'RequestMetricWaits1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE request_metrics
        ADD COLUMN admission_wait_ms real CHECK (admission_wait_ms >= 0),
        ADD COLUMN pool_wait_ms real CHECK (pool_wait_ms >= 0),
        ADD COLUMN handled_ms real CHECK (handled_ms >= 0),
        ADD COLUMN trace_id text
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE request_metrics
        DROP COLUMN admission_wait_ms, DROP COLUMN pool_wait_ms, DROP COLUMN handled_ms,
        DROP COLUMN trace_id
    `);
  }
}
