import type { GridDefinition } from '../../src/core/grid/grid.types';
import { documentGrid } from '../../src/modules/document/document.grid';
import { ADMIN, DEMO_PASSWORD, sql } from './fixtures';

/**
 * Every module grid the conformance suite (test/e2e/grid-conformance.e2e-spec.ts)
 * checks against its own definition: order, every operator of every filterable
 * column, every sort, cursor paging under concurrent inserts, offsets, errors,
 * injection attempts, value discovery, counts and tenant isolation.
 *
 * To add a grid: append an entry to GRIDS. `url`, `definition`, `table` and
 * `insertCopy` are required; the rest has defaults that fit an organization-
 * scoped grid over the demo seed (seedDemo: organizations acme and globex).
 */
export interface Credentials {
  email: string;
  password: string;
}

export interface GridUnderTest {
  /** GET url (the grid), url/columns, url/columns/:column/values, url/:id. */
  url: string;
  definition: GridDefinition;
  /** Table holding the grid's rows (row counts around injection attempts). */
  table: string;
  /**
   * Inserts a copy of row `id` (same organization; the default-sort values kept
   * where constraints allow, unique values changed) and returns the new id.
   * The suite inserts such rows between pages while paging by cursor.
   */
  insertCopy(dbUrl: string, id: number): Promise<number>;
  /**
   * Rows the demo seed lacks, added once before the checks: nulls in nullable
   * columns, text with LIKE wildcards, a long text in a sortable column…
   */
  arrange?(dbUrl: string): Promise<void>;
  /** Who sees every row of the grid. Default: the platform admin. */
  viewer?: Credentials;
  /** A user of each demo organization for tenant isolation. Default: their admins. */
  tenants?: [Credentials, Credentials];
  /** Whether GET url/:id exists. Default true. */
  hasItem?: boolean;
}

export const demoUser = (email: string): Credentials => ({ email, password: DEMO_PASSWORD });
export const PLATFORM_ADMIN: Credentials = ADMIN;
export const ORG_ADMINS: [Credentials, Credentials] = [
  demoUser('admin@acme.example'),
  demoUser('admin@globex.example'),
];

async function one<T extends Record<string, unknown>>(
  url: string,
  text: string,
  params: unknown[],
): Promise<T> {
  const rows = await sql<T>(url, text, params);
  if (rows.length !== 1) throw new Error(`expected one row from: ${text}`);
  return rows[0];
}

const documents: GridUnderTest = {
  url: '/api/documents',
  definition: documentGrid,
  table: 'documents',
  insertCopy: async (url, id) =>
    (
      await one<{ id: number }>(
        url,
        `INSERT INTO documents (organization_id, folder_id, document_type_id, mail_id, batch_id, title, status,
                                file_name, mime_type, size_bytes, page_count, document_date, created_by,
                                created_on, updated_on)
         SELECT organization_id, folder_id, document_type_id, mail_id, batch_id, title || ' (copy)', status,
                file_name, mime_type, size_bytes, page_count, document_date, created_by, created_on, updated_on
         FROM documents WHERE id = $1 RETURNING id`,
        [id],
      )
    ).id,
  // The demo documents have every column filled and no mail or batch: add rows
  // with nulls, with mails and batches, with LIKE wildcards and a long title.
  arrange: async (url) => {
    await sql(
      url,
      `INSERT INTO documents (organization_id, folder_id, title, status, created_on)
       SELECT f.organization_id, f.id, t.title, t.status, now() - t.age
       FROM (SELECT DISTINCT ON (organization_id) organization_id, id FROM folders
             WHERE system_key = 'inbox' ORDER BY organization_id, id) f
       CROSS JOIN (VALUES ('Scan 100% done_ok', 'draft', interval '3 hours'),
                          ('Untyped upload', 'active', interval '30 days'),
                          (repeat('Long title ', 30), 'in_review', interval '200 days')) AS t(title, status, age)`,
      [],
    );
    await sql(
      url,
      `UPDATE documents d SET mail_id = m.id, batch_id = m.batch_id, file_name = NULL, size_bytes = 0
       FROM (SELECT DISTINCT ON (organization_id) organization_id, id, batch_id FROM mails
             WHERE batch_id IS NOT NULL ORDER BY organization_id, id) m
       WHERE d.organization_id = m.organization_id AND d.id % 7 = 0`,
      [],
    );
  },
};

/** The grids checked by the conformance suite. Add yours here. */
export const GRIDS: GridUnderTest[] = [documents];
