import { Injectable } from '@nestjs/common';
import { Db } from '../../core/database/db.service';

export interface Compaction {
  /** False when another process was compacting (nothing done). */
  ran: boolean;
  /** Delta rows folded in. */
  deltas: number;
}

/**
 * The kept counts of the documents grid (migration 1765500000000): the
 * triggers on documents append deltas; this folds them into one row per
 * (organization, folder, column, value), so that value discovery sums few rows.
 */
@Injectable()
export class DocumentValueCountsRepository {
  constructor(private readonly db: Db) {}

  /**
   * Folds every committed delta into the counts, in one transaction (readers
   * see the deltas or their sum, never both or neither), and drops the keys
   * that reached zero. One compaction at a time (the transaction's advisory
   * lock): the others skip their round.
   */
  compact(): Promise<Compaction> {
    return this.db.transaction(async (q) => {
      const [{ locked }] = await q.query<{ locked: boolean }>(
        `SELECT pg_try_advisory_xact_lock(hashtext('postroom:document_value_counts')) AS locked`,
      );
      if (!locked) return { ran: false, deltas: 0 };
      // n is in no index, so folding a delta into a count is a HOT update.
      const [{ deltas, spent }] = await q.query<{ deltas: number; spent: string[] }>(
        `WITH d AS (
           DELETE FROM document_value_deltas
           RETURNING organization_id, folder_id, column_key, value, n
         ), folded AS (
           INSERT INTO document_value_counts AS c (organization_id, folder_id, column_key, value, n)
           SELECT organization_id, folder_id, column_key, value, sum(n) FROM d
           GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0
           ON CONFLICT ON CONSTRAINT document_value_counts_key DO UPDATE SET n = c.n + excluded.n
           RETURNING c.id, c.n
         )
         SELECT (SELECT count(*) FROM d)::int AS deltas,
                ARRAY(SELECT id FROM folded WHERE n = 0) AS spent`,
      );
      // Keys whose documents are all gone.
      if (spent.length > 0)
        await q.query('DELETE FROM document_value_counts WHERE id = ANY($1::bigint[]) AND n = 0', [
          spent,
        ]);
      return { ran: true, deltas };
    });
  }
}
