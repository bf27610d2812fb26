import { Injectable } from '@nestjs/common';
import type { Queryable } from '../../core/database/db.service';
import type { RowGuard } from '../../core/database/versioned-row';
import { insertRow, lockForChange, updateVersioned } from '../../core/database/versioned-row';

export interface DocumentTypeRow {
  id: number;
  organization_id: number;
  name: string;
  description: string;
  retention_days: number | null;
  version: number;
}

export type DocumentTypeColumns = Partial<Omit<DocumentTypeRow, 'id' | 'version'>>;

/** Counting the documents of a type stops here: the answer only needs to say "many". */
export const USAGE_COUNT_CAP = 1000;

const LOCK = {
  from: 'document_types t',
  alias: 't',
  columns: 't.id, t.organization_id, t.name, t.description, t.retention_days, t.version',
  noun: 'Document type',
};

@Injectable()
export class DocumentTypeRepository {
  /** The row locked for a change (lockForChange: 404, 403, 409). */
  lock(q: Queryable, id: number, guard: RowGuard, op: string, version?: number) {
    return lockForChange<DocumentTypeRow>(q, LOCK, id, guard, op, version);
  }

  insert(q: Queryable, row: DocumentTypeColumns): Promise<number> {
    return insertRow(q, 'document_types', row);
  }

  update(
    q: Queryable,
    id: number,
    version: number,
    changes: DocumentTypeColumns,
  ): Promise<number | undefined> {
    return updateVersioned(q, 'document_types', id, version, changes);
  }

  /**
   * How many documents are of this type, up to USAGE_COUNT_CAP + 1 (documents_type_created_idx).
   * The foreign key (RESTRICT) stays the guard against a document filed meanwhile.
   */
  async usage(q: Queryable, id: number): Promise<number> {
    const rows = await q.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (
         SELECT 1 FROM documents WHERE document_type_id = $1 LIMIT ${USAGE_COUNT_CAP + 1}) s`,
      [id],
    );
    return rows[0].n;
  }

  async delete(q: Queryable, id: number): Promise<void> {
    await q.query('DELETE FROM document_types WHERE id = $1', [id]);
  }
}
