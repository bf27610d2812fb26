import { Client } from 'pg';
import type { GridSqlContext } from '../../src/core/grid/grid-query.builder';
import { buildValuesQuery } from '../../src/core/grid/grid-query.builder';
import { parseValuesQuery } from '../../src/core/grid/grid-query.parser';
import { documentGrid } from '../../src/modules/document/document.grid';
import { seedDemo, sql } from '../support/fixtures';
import type { TestDatabase } from '../support/test-db';
import { createTestDatabase } from '../support/test-db';

/**
 * Value discovery counts every row under the other filters; on a large
 * organization that is only fast when the counts come from an index alone
 * (migration 1765100000000). For every discoverable column of the documents
 * grid, under the filters the frontend combines and the scopes callers have,
 * the statement the API runs must have a plan that reads documents through an
 * index only, never the table, and only the range of the most selective
 * filter (a type or folder, else the dates). Sequential and bitmap scans are
 * switched off so that the planner shows whether such a path exists at all on
 * this small seed; a discoverable column added without index coverage fails here.
 */

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}

function documentScans(node: PlanNode, out: PlanNode[] = []): PlanNode[] {
  if (node['Relation Name'] === 'documents') out.push(node);
  for (const child of node.Plans ?? []) documentScans(child, out);
  return out;
}

/** Columns one of which the index range should be on: the column's own filter is dropped. */
function narrowingColumns(column: string, scope: string, filtered: string[]): string[] {
  const others = filtered.filter((c) => c !== column);
  let narrowing: string[] = others.filter((c) => c === 'documentTypeId' || c === 'folderId');
  if (narrowing.length === 0) narrowing = others.filter((c) => c === 'createdOn');
  // The visible folders narrow as well; which range is smaller depends on the data.
  if (narrowing.length > 0 && scope === 'a folder-scoped user') narrowing.push('folderId');
  return narrowing;
}

const YEAR = '2025-01-01T00:00:00Z,2025-12-31T23:59:59Z';

describe('documents value discovery', () => {
  let db: TestDatabase;
  let client: Client;
  let ids: { org: number; type: number; folder: number; folders: number[] };

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDemo(db.url);
    // Enough rows (20,000 per organization over three years) for the planner to weigh ranges as on a large seed.
    await sql(
      db.url,
      `INSERT INTO documents (organization_id, folder_id, document_type_id, title, status, mime_type, created_on)
       SELECT o.id, o.folders[1 + g % cardinality(o.folders)], o.types[1 + (g / 7) % cardinality(o.types)],
              'Generated ' || g, (ARRAY['draft', 'active', 'in_review', 'archived'])[1 + g % 4],
              (ARRAY['application/pdf', 'image/tiff', 'image/jpeg'])[1 + g % 3],
              timestamptz '2024-01-01' + (g % 1095) * interval '1 day'
       FROM (SELECT org.id,
                    (SELECT array_agg(f.id) FROM folders f WHERE f.organization_id = org.id) AS folders,
                    (SELECT array_agg(t.id) FROM document_types t WHERE t.organization_id = org.id) AS types
             FROM organizations org) o
       CROSS JOIN generate_series(1, 20000) g
       WHERE o.folders IS NOT NULL AND o.types IS NOT NULL`,
    );
    const [row] = await sql<{ org: number; type: number; folder: number; folders: number[] }>(
      db.url,
      `SELECT d.organization_id::int AS org, d.document_type_id::int AS type, d.folder_id::int AS folder,
              (SELECT array_agg(f.id::int) FROM folders f WHERE f.organization_id = d.organization_id) AS folders
       FROM documents d WHERE d.document_type_id IS NOT NULL ORDER BY d.id LIMIT 1`,
    );
    ids = row;
    client = new Client({ connectionString: db.url });
    await client.connect();
    // The visibility map says every page is all-visible: an index-only scan costs its real price.
    await client.query('VACUUM ANALYZE documents');
    await client.query('SET enable_seqscan = off');
    await client.query('SET enable_bitmapscan = off');
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  const scopes: Record<string, () => GridSqlContext['scope']> = {
    'an organization member': () => ({ text: 'd.organization_id = $1', values: [ids.org] }),
    'a folder-scoped user': () => ({
      text: 'd.organization_id = $1 AND d.folder_id = ANY($2::bigint[])',
      values: [ids.org, ids.folders.slice(0, 3)],
    }),
    'a platform admin': () => ({ text: 'TRUE', values: [] }),
  };
  /** Filter sets the frontend combines: the columns they filter, and the query. */
  const filters: Record<string, { columns: string[]; raw: () => Record<string, string> }> = {
    'a type and a year': {
      columns: ['documentTypeId', 'createdOn'],
      raw: () => ({
        'filter[documentTypeId]': String(ids.type),
        'filter[createdOn][between]': YEAR,
      }),
    },
    'a folder and a mime type': {
      columns: ['folderId', 'mimeType'],
      raw: () => ({
        'filter[folderId]': String(ids.folder),
        'filter[mimeType]': 'application/pdf',
      }),
    },
    'a year and a status': {
      columns: ['createdOn', 'status'],
      raw: () => ({ 'filter[createdOn][between]': YEAR, 'filter[status]': 'active' }),
    },
  };
  const discoverable = documentGrid.columns.filter((c) => c.discoverable);
  /**
   * Every column, scope and filter set, but where nothing narrows the rows to a
   * range of an index: a platform admin (all organizations) left with no type
   * or folder filter once the column's own filter is dropped counts every row.
   */
  const cases = Object.keys(scopes).flatMap((scope) =>
    Object.keys(filters).flatMap((filter) =>
      discoverable
        .filter(
          (c) =>
            scope !== 'a platform admin' ||
            filters[filter].columns.some(
              (f) => f !== c.key && (f === 'documentTypeId' || f === 'folderId'),
            ),
        )
        .map((c) => [c.key, scope, filter] as const),
    ),
  );

  it('covers the columns the grid discovers', () => {
    expect(discoverable.map((c) => c.key)).toEqual(
      expect.arrayContaining(['status', 'folderId', 'documentTypeId', 'mimeType']),
    );
  });

  it.each(cases)('of %s as %s under %s reads an index only', async (key, scope, filter) => {
    const column = discoverable.find((c) => c.key === key)!;
    const statement = buildValuesQuery(
      documentGrid,
      column,
      parseValuesQuery(documentGrid, filters[filter].raw()),
      { scope: scopes[scope]() },
    );
    const [plan] = (
      await client.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(
        `EXPLAIN (FORMAT JSON) ${statement.text}`,
        statement.values,
      )
    ).rows[0]['QUERY PLAN'];
    const scans = documentScans(plan.Plan);
    expect(scans.length).toBeGreaterThan(0);
    expect(scans.map((s) => `${s['Node Type']} using ${s['Index Name']}`)).toEqual(
      scans.map((s) => `Index Only Scan using ${s['Index Name']}`),
    );
    const narrowing = narrowingColumns(key, scope, filters[filter].columns);
    if (narrowing.length > 0) {
      const conditions = scans.map((s) => s['Index Cond'] ?? '').join(' ');
      // Plans name the SQL column (d.folder_id), the grid its key (folderId).
      const sqlColumn = (k: string) =>
        (documentGrid.columns.find((c) => c.key === k)?.sql ?? k).replace(/^d\./, '');
      expect(narrowing.map(sqlColumn).filter((c) => conditions.includes(c))).not.toEqual([]);
    }
  });
});
