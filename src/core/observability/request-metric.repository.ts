import { Injectable } from '@nestjs/common';
import { Db } from '../database/db.service';

export interface RequestMetricRow {
  createdOn: string;
  requestId: string | null;
  method: string;
  route: string;
  statusCode: number;
  durationMs: number;
  admissionWaitMs: number;
  poolWaitMs: number;
  handledMs: number;
  traceId: string | null;
  dbStatements: number | null;
  userId: number | null;
  organizationId: number | null;
  sampledBecause: 'slow' | 'sample';
}

@Injectable()
export class RequestMetricRepository {
  constructor(private readonly db: Db) {}

  /** Many rows in one statement. */
  async insertMany(rows: RequestMetricRow[]): Promise<void> {
    if (rows.length === 0) return;
    const col = <K extends keyof RequestMetricRow>(k: K) => rows.map((r) => r[k]);
    await this.db.query(
      `INSERT INTO request_metrics (created_on, request_id, method, route, status_code, duration_ms,
         db_statements, user_id, organization_id, sampled_because, admission_wait_ms, pool_wait_ms,
         handled_ms, trace_id)
       SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::smallint[],
         $6::real[], $7::smallint[], $8::bigint[], $9::bigint[], $10::text[], $11::real[],
         $12::real[], $13::real[], $14::text[])`,
      [
        col('createdOn'),
        col('requestId'),
        col('method'),
        col('route'),
        col('statusCode'),
        col('durationMs'),
        col('dbStatements'),
        col('userId'),
        col('organizationId'),
        col('sampledBecause'),
        col('admissionWaitMs'),
        col('poolWaitMs'),
        col('handledMs'),
        col('traceId'),
      ],
    );
  }
}
