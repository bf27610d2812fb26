import { Injectable } from '@nestjs/common';
import type { Queryable } from '../../core/database/db.service';
import type { RowGuard } from '../../core/database/versioned-row';
import { insertRow, lockForChange, updateVersioned } from '../../core/database/versioned-row';

export interface DocumentRow {
  id: number;
  organization_id: number;
  folder_id: number;
  document_type_id: number | null;
  mail_id: number | null;
  title: string;
  status: string;
  file_name: string | null;
  mime_type: string | null;
  size_bytes: number | null;
  page_count: number | null;
  document_date: string | null;
  version: number;
}

export type DocumentColumns = Partial<Omit<DocumentRow, 'id' | 'version'>> & {
  created_by?: number | null;
};

const LOCK = {
  from: 'documents d',
  alias: 'd',
  columns: `d.id, d.organization_id, d.folder_id, d.document_type_id, d.mail_id, d.title, d.status,
            d.file_name, d.mime_type, d.size_bytes, d.page_count, d.document_date, d.version`,
  noun: 'Document',
};

@Injectable()
export class DocumentRepository {
  /** The row locked for a change (lockForChange: 404, 403, 409). */
  lock(q: Queryable, id: number, guard: RowGuard, op: string, version?: number) {
    return lockForChange<DocumentRow>(q, LOCK, id, guard, op, version);
  }

  insert(q: Queryable, row: DocumentColumns): Promise<number> {
    return insertRow(q, 'documents', row);
  }

  update(
    q: Queryable,
    id: number,
    version: number,
    changes: DocumentColumns,
  ): Promise<number | undefined> {
    return updateVersioned(q, 'documents', id, version, changes);
  }

  async delete(q: Queryable, id: number): Promise<void> {
    await q.query('DELETE FROM documents WHERE id = $1', [id]);
  }
}
