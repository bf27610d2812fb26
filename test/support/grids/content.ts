import { documentTypeGrid } from '../../../src/modules/document-type/document-type.grid';
import { folderGrid } from '../../../src/modules/folder/folder.grid';
import { insertFolder } from '../../../src/seed/seed-sql';
import { withDirectClient } from '../../../src/seed/seed-runner';
import { sql } from '../fixtures';
import type { GridUnderTest } from '../grid-under-test';
import { SUFFIX_SQL, insertedId } from '../grid-under-test';

export const folders: GridUnderTest = {
  url: '/api/folders',
  definition: folderGrid,
  table: 'folders',
  // A sibling of the original: same parent and depth, its own id at the end of
  // the path (folders_path_ends_with_self), a new name (unique among siblings)
  // that starts like the original's, and no system key (one per organization).
  insertCopy: (url, id) =>
    insertedId(
      url,
      `WITH nid AS (SELECT nextval(pg_get_serial_sequence('folders', 'id')) AS id)
       INSERT INTO folders (id, organization_id, parent_id, name, path, depth, system_key, created_on, updated_on)
       SELECT nid.id, f.organization_id, f.parent_id, left(f.name, 180) || ' copy ' || ${SUFFIX_SQL},
              f.path[1:f.depth] || nid.id, f.depth, NULL, f.created_on, f.updated_on
       FROM nid, folders f WHERE f.id = $1 RETURNING id`,
      [id],
    ),
  // In each organization: a chain four deep (the seed stops at depth 1), names
  // the seed also uses elsewhere (ties), LIKE wildcards, a long name, and
  // creation times spread out.
  arrange: async (url) => {
    await withDirectClient(url, async (q) => {
      const orgs = await q.query<{ id: number }>(
        `SELECT id FROM organizations WHERE slug IN ('acme', 'globex') ORDER BY id`,
      );
      for (const { id: org } of orgs) {
        let parent: number | null = null;
        for (const name of [
          'Projects',
          'Scan 100% done_ok',
          '2025',
          `${'Long name '.repeat(19)}end`,
        ])
          parent = await insertFolder(q, org, parent, name);
        const scans = await insertFolder(q, org, null, 'Scans');
        await insertFolder(q, org, scans, 'Invoices');
      }
      await q.query(
        `UPDATE folders SET created_on = created_on - (id % 9) * interval '3 days',
                            updated_on = updated_on - (id % 4) * interval '1 day'`,
      );
    });
  },
};

export const documentTypes: GridUnderTest = {
  url: '/api/document-types',
  definition: documentTypeGrid,
  table: 'document_types',
  // Names are unique per organization: the copy's starts like the original's.
  insertCopy: (url, id) =>
    insertedId(
      url,
      `INSERT INTO document_types (organization_id, name, description, retention_days, created_on, updated_on)
       SELECT organization_id, left(name, 180) || ' copy ' || ${SUFFIX_SQL}, description, retention_days,
              created_on, updated_on
       FROM document_types WHERE id = $1 RETURNING id`,
      [id],
    ),
  // The seed's types have no retention and no description: fourteen more with
  // both (and without), seven names in each organization (ties), wildcards, a long name.
  arrange: async (url) => {
    await sql(
      url,
      `INSERT INTO document_types (organization_id, name, description, retention_days, created_on, updated_on)
       SELECT o.id,
              (ARRAY['Tax notice', 'Bank statement', 'Purchase order', 'Delivery note', 'Scan 100% done_ok',
                     repeat('Long name ', 19) || 'end', 'Credit note'])[1 + (g / 2) % 7],
              CASE WHEN g % 3 = 0 THEN '' ELSE 'Kept for audits (kind ' || g || ')' END,
              CASE WHEN g % 4 = 0 THEN NULL ELSE 30 * (1 + g % 5) END,
              now() - g * interval '6 days', now() - g * interval '1 day'
       FROM generate_series(1, 14) AS g
       JOIN organizations o ON o.slug = (ARRAY['globex', 'acme'])[1 + g % 2]`,
    );
  },
};
