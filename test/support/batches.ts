import type { BatchStatus } from '../../src/modules/batch/batch.entity';
import { sql } from './fixtures';

export interface BatchState {
  id: number;
  status: BatchStatus;
  item_count: number;
  processed_count: number;
  failed_count: number;
  attempts: number;
  last_error: string | null;
}

/** Org, folders and a document type of the demo seed, for batch payloads. */
export async function demoOrg(url: string, slug = 'acme') {
  const [org] = await sql<{
    id: number;
    inbox: number;
    finance: number;
    type: number;
    admin: number;
  }>(
    url,
    `SELECT o.id,
       (SELECT id FROM folders WHERE organization_id = o.id AND system_key = 'inbox') AS inbox,
       (SELECT id FROM folders WHERE organization_id = o.id AND name = 'Finance') AS finance,
       (SELECT min(id) FROM document_types WHERE organization_id = o.id) AS type,
       (SELECT id FROM users WHERE organization_id = o.id AND is_org_admin LIMIT 1) AS admin
     FROM organizations o WHERE o.slug = $1`,
    [slug],
  );
  return org;
}

/**
 * A batch and its items inserted directly, as the batches module stores them:
 * in one transaction (status pending, item_count set), so that no sweeper ever
 * sees the batch without its items.
 */
export async function insertBatch(
  url: string,
  organizationId: number,
  payloads: unknown[],
  opts: { status?: BatchStatus; createdBy?: number | null; heartbeatAgoSeconds?: number } = {},
): Promise<number> {
  const [{ id }] = await sql<{ id: number }>(
    url,
    `WITH b AS (
       INSERT INTO batches (organization_id, name, source, status, item_count, created_by, heartbeat_on)
       VALUES ($1, 'test batch', 'api', $2, $3, $4, now() - $5 * interval '1 second') RETURNING id),
     i AS (
       INSERT INTO batch_items (organization_id, batch_id, seq, payload)
       SELECT $1, b.id, (e.n - 1)::int, e.payload
       FROM b, jsonb_array_elements($6::jsonb) WITH ORDINALITY AS e(payload, n))
     SELECT id FROM b`,
    [
      organizationId,
      opts.status ?? 'pending',
      payloads.length,
      opts.createdBy ?? null,
      opts.heartbeatAgoSeconds ?? 0,
      JSON.stringify(payloads),
    ],
  );
  return id;
}

/** n valid payloads; every second one also files a document. */
export function letters(n: number, extra: (i: number) => object = () => ({})): object[] {
  return Array.from({ length: n }, (_, i) => ({
    subject: `Letter ${i}`,
    sender: `sender${i}@example.com`,
    ...(i % 2 === 0 ? { documentTitle: `Scan ${i}` } : {}),
    ...extra(i),
  }));
}

export async function batchState(url: string, id: number): Promise<BatchState> {
  const [row] = await sql<BatchState & Record<string, unknown>>(
    url,
    `SELECT id, status, item_count, processed_count, failed_count, attempts, last_error FROM batches WHERE id = $1`,
    [id],
  );
  return row;
}

const FINAL: readonly BatchStatus[] = ['completed', 'completed_with_errors', 'failed', 'cancelled'];

/** Polls until the batch reaches a final status (or until the condition holds). */
export async function waitForBatch(
  url: string,
  id: number,
  until: (b: BatchState) => boolean = (b) => FINAL.includes(b.status),
  timeoutMs = 90_000,
): Promise<BatchState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const b = await batchState(url, id);
    if (until(b)) return b;
    if (Date.now() > deadline) {
      throw new Error(`batch ${id} did not get there in ${timeoutMs} ms: ${JSON.stringify(b)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** What the batch produced, to prove nothing was lost or made twice. */
export async function batchOutput(url: string, id: number) {
  const [row] = await sql<{
    items: number;
    done: number;
    failed: number;
    pending: number;
    mails: number;
    distinct_mail_keys: number;
    linked_mails: number;
    documents: number;
    linked_documents: number;
    titled_items: number;
  }>(
    url,
    `SELECT
       (SELECT count(*)::int FROM batch_items WHERE batch_id = $1) AS items,
       (SELECT count(*)::int FROM batch_items WHERE batch_id = $1 AND status = 'done') AS done,
       (SELECT count(*)::int FROM batch_items WHERE batch_id = $1 AND status = 'failed') AS failed,
       (SELECT count(*)::int FROM batch_items WHERE batch_id = $1 AND status = 'pending') AS pending,
       (SELECT count(*)::int FROM mails WHERE batch_id = $1) AS mails,
       (SELECT count(DISTINCT source_key)::int FROM mails WHERE batch_id = $1) AS distinct_mail_keys,
       (SELECT count(DISTINCT i.mail_id)::int FROM batch_items i JOIN mails m ON m.id = i.mail_id
          WHERE i.batch_id = $1 AND m.source_key = 'item:' || i.seq) AS linked_mails,
       (SELECT count(*)::int FROM documents WHERE batch_id = $1) AS documents,
       (SELECT count(*)::int FROM batch_items i JOIN documents d ON d.id = i.document_id
          WHERE i.batch_id = $1 AND d.mail_id = i.mail_id) AS linked_documents,
       (SELECT count(*)::int FROM batch_items WHERE batch_id = $1 AND status = 'done'
          AND payload ? 'documentTitle') AS titled_items`,
    [id],
  );
  return row;
}
