import { Injectable } from '@nestjs/common';
import type { Queryable } from '../../core/database/db.service';
import type { RowGuard } from '../../core/database/versioned-row';
import { insertRow, lockForChange } from '../../core/database/versioned-row';

export interface BatchRow {
  id: number;
  organization_id: number;
  name: string;
  status: string;
  version: number;
}

/** What a batch item holds until the processing turns it into a mail (and a document). */
export interface BatchItemPayload {
  subject: string;
  sender: string;
  receivedOn?: string;
  priority?: string;
  documentTitle?: string;
  documentTypeId?: number;
  folderId?: number;
}

const LOCK = {
  from: 'batches b',
  alias: 'b',
  columns: 'b.id, b.organization_id, b.name, b.status, b.version',
  noun: 'Batch',
};

@Injectable()
export class BatchRepository {
  insert(
    q: Queryable,
    row: {
      organization_id: number;
      name: string;
      source: string;
      item_count: number;
      created_by: number | null;
    },
  ): Promise<number> {
    return insertRow(q, 'batches', { ...row, status: 'pending' });
  }

  /** Every item in one statement: the payloads travel as one JSON array, numbered from 0. */
  async insertItems(
    q: Queryable,
    organizationId: number,
    batchId: number,
    payloads: BatchItemPayload[],
  ): Promise<number> {
    return this.insertItemsJson(q, organizationId, batchId, JSON.stringify(payloads));
  }

  /**
   * The items from the JSON array of their payloads: as text, or as a Buffer in
   * jsonb's binary input form (see PreparedBatch), which pg sends as a binary
   * parameter, as it is. The items are numbered from firstSeq.
   */
  async insertItemsJson(
    q: Queryable,
    organizationId: number,
    batchId: number,
    payloadsJson: string | Buffer,
    firstSeq = 0,
  ): Promise<number> {
    const rows = await q.query<{ n: number }>(
      `WITH inserted AS (
         INSERT INTO batch_items (organization_id, batch_id, seq, payload)
         SELECT $1, $2, (i.ord - 1 + $4)::int, i.payload
         FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS i(payload, ord)
         RETURNING 1
       ) SELECT count(*)::int AS n FROM inserted`,
      [organizationId, batchId, payloadsJson, firstSeq],
    );
    return rows[0].n;
  }

  /**
   * Of the given document type ids, those that are not types of the organization.
   * (The payload is JSON, so no foreign key can say it; read on the batch's transaction.)
   */
  async unknownDocumentTypes(
    q: Queryable,
    organizationId: number,
    ids: number[],
  ): Promise<number[]> {
    if (ids.length === 0) return [];
    const rows = await q.query<{ id: number }>(
      `SELECT t.id FROM unnest($2::bigint[]) AS t(id)
       WHERE NOT EXISTS (SELECT 1 FROM document_types d WHERE d.id = t.id AND d.organization_id = $1)`,
      [organizationId, ids],
    );
    return rows.map((r) => Number(r.id));
  }

  /** The row locked for a change (lockForChange: 404, 403, 409). */
  lock(q: Queryable, id: number, guard: RowGuard, op: string, version?: number) {
    return lockForChange<BatchRow>(q, LOCK, id, guard, op, version);
  }

  async cancel(q: Queryable, id: number): Promise<void> {
    await q.query(
      `UPDATE batches SET status = 'cancelled', finished_on = now(), version = version + 1,
              updated_on = now()
       WHERE id = $1`,
      [id],
    );
  }
}
