import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Kept counts for value discovery on documents: how many documents hold each
 * value of each counted column, by organization and folder, so that
 * `/columns/{column}/values` sums a few rows instead of counting the scope.
 *
 * - document_value_deltas: append-only. Statement-level triggers on documents
 *   (transition tables) add one row per (organization, folder, column, value)
 *   a statement changed, +n or −n, in the statement's own transaction: a batch
 *   chunk of 1,000 documents adds a few dozen rows, and concurrent writers
 *   never touch the same row (no counter to wait for).
 * - document_value_counts: one row per key, the deltas folded in by the
 *   compaction (DocumentValueCountsRepository.compact), which is the only
 *   writer of this table besides TRUNCATE.
 * - document_value_tallies: both, UNION ALL; readers sum it per value.
 *
 * The counted columns are the documents grid's discoverable ones (its
 * keptCounts.columns; test/medium/document-value-counts.spec.ts checks the
 * two agree); folder and organization are the key itself. A NULL value is a
 * bucket of its own (the unique key treats NULLs as equal). Updates add only
 * the deltas that do not cancel out, so a title edit adds nothing; moves
 * (folder_id), deletes, organization deletion (its cascade deletes the
 * documents, firing the delete trigger) and the SET NULL of a deleted batch
 * are all statements on documents. TRUNCATE fires no row triggers: its own
 * trigger empties both tables.
 *
 * The backfill runs under the lock CREATE TRIGGER takes (no write to documents
 * can fall between the count and the triggers).
 */
const COUNTED: readonly (readonly [string, string])[] = [
  ['status', 'status'],
  ['documentTypeId', 'document_type_id'],
  ['batchId', 'batch_id'],
  ['mimeType', 'mime_type'],
  ['createdBy', 'created_by'],
];

/** (column_key, value) of a row of the grouping sets below: the one counted column grouped. */
const KEY_OF_SET = `CASE ${COUNTED.map(([key, col]) => `WHEN GROUPING(d.${col}) = 0 THEN '${key}'`).join(' ')} END`;
const VALUE_OF_SET = `CASE ${COUNTED.map(([, col]) => `WHEN GROUPING(d.${col}) = 0 THEN d.${col}::text`).join(' ')} END`;

/**
 * Rows of `source` (documents' row type, alias d, with a sign s) as grouped
 * deltas: one pass with a grouping set per counted column (a lateral
 * unpivot to (column, value) first grouped five times the rows, as text: ~5×
 * slower on a batch chunk).
 */
const deltas = (source: string, having: string) =>
  `INSERT INTO document_value_deltas (organization_id, folder_id, column_key, value, n)
   SELECT d.organization_id, d.folder_id, ${KEY_OF_SET}, ${VALUE_OF_SET}, sum(d.s)
   FROM ${source}
   GROUP BY GROUPING SETS (${COUNTED.map(([, col]) => `(d.organization_id, d.folder_id, d.${col})`).join(', ')})${having}`;

export class DocumentValueCounts1765500000000 implements MigrationInterface {
  name = 'DocumentValueCounts1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      LOCK TABLE documents IN SHARE ROW EXCLUSIVE MODE;

      CREATE TABLE document_value_counts (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        organization_id bigint NOT NULL,
        folder_id bigint NOT NULL,
        column_key text NOT NULL,
        value text,
        n bigint NOT NULL,
        CONSTRAINT document_value_counts_key UNIQUE NULLS NOT DISTINCT (column_key, organization_id, folder_id, value)
      ) WITH (fillfactor = 90);

      CREATE TABLE document_value_deltas (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        organization_id bigint NOT NULL,
        folder_id bigint NOT NULL,
        column_key text NOT NULL,
        value text,
        n bigint NOT NULL
      );
      CREATE INDEX document_value_deltas_key_idx ON document_value_deltas (column_key, organization_id, folder_id);

      CREATE VIEW document_value_tallies AS
        SELECT organization_id, folder_id, column_key, value, n FROM document_value_counts
        UNION ALL
        SELECT organization_id, folder_id, column_key, value, n FROM document_value_deltas;

      CREATE FUNCTION documents_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${deltas('(SELECT r.*, 1 AS s FROM new_rows r) d', '')};
        RETURN NULL;
      END $$;
      CREATE FUNCTION documents_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${deltas('(SELECT r.*, -1 AS s FROM old_rows r) d', '')};
        RETURN NULL;
      END $$;
      CREATE FUNCTION documents_count_updated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${deltas(
          '(SELECT r.*, 1 AS s FROM new_rows r UNION ALL SELECT r.*, -1 AS s FROM old_rows r) d',
          ' HAVING sum(d.s) <> 0',
        )};
        RETURN NULL;
      END $$;
      CREATE FUNCTION documents_count_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        TRUNCATE document_value_counts, document_value_deltas;
        RETURN NULL;
      END $$;

      CREATE TRIGGER documents_count_inserted AFTER INSERT ON documents
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION documents_count_inserted();
      CREATE TRIGGER documents_count_deleted AFTER DELETE ON documents
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION documents_count_deleted();
      CREATE TRIGGER documents_count_updated AFTER UPDATE ON documents
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION documents_count_updated();
      CREATE TRIGGER documents_count_truncated AFTER TRUNCATE ON documents
        FOR EACH STATEMENT EXECUTE FUNCTION documents_count_truncated();

      ${deltas('(SELECT r.*, 1 AS s FROM documents r) d', '').replace(
        'document_value_deltas',
        'document_value_counts',
      )};
      ANALYZE document_value_counts;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER documents_count_inserted ON documents;
      DROP TRIGGER documents_count_deleted ON documents;
      DROP TRIGGER documents_count_updated ON documents;
      DROP TRIGGER documents_count_truncated ON documents;
      DROP FUNCTION documents_count_inserted(), documents_count_deleted(),
        documents_count_updated(), documents_count_truncated();
      DROP VIEW document_value_tallies;
      DROP TABLE document_value_deltas, document_value_counts;
    `);
  }
}
