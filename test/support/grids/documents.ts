import { documentGrid } from '../../../src/modules/document/document.grid';
import { sql } from '../fixtures';
import type { GridUnderTest } from '../grid-under-test';
import { insertedId } from '../grid-under-test';

export const documents: GridUnderTest = {
  url: '/api/documents',
  definition: documentGrid,
  table: 'documents',
  insertCopy: (url, id) =>
    insertedId(
      url,
      `INSERT INTO documents (organization_id, folder_id, document_type_id, mail_id, batch_id, title, status,
                              file_name, mime_type, size_bytes, page_count, document_date, created_by,
                              created_on, updated_on)
       SELECT organization_id, folder_id, document_type_id, mail_id, batch_id, title || ' (copy)', status,
              file_name, mime_type, size_bytes, page_count, document_date, created_by, created_on, updated_on
       FROM documents WHERE id = $1 RETURNING id`,
      [id],
    ),
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
