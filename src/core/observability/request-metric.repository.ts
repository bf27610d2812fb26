import { Injectable } from '@nestjs/common';
import { Db } from '../database/db.service';

export interface RequestMetricRow {
  createdOn: string;
  requestId: string | null;
  method: string;
  route: string;
  statusCode: number;
  durationMs: number;
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
         db_statements, user_id, organization_id, sampled_because)
       SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::smallint[],
         $6::real[], $7::smallint[], $8::bigint[], $9::bigint[], $10::text[])`,
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
      ],
    );
  }
}
