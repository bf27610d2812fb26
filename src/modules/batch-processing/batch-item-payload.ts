export const MAIL_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type MailPriority = (typeof MAIL_PRIORITIES)[number];

/** An item payload that passed validation, normalized for the bulk inserts. */
export interface ValidItem {
  subject: string;
  sender: string;
  /** ISO timestamp; null: when the batch is processed. */
  receivedOn: string | null;
  priority: MailPriority;
  /** A document is filed for the mail only when a title is given. */
  documentTitle: string | null;
  documentTypeId: number | null;
  /** null: the organization's Inbox. */
  folderId: number | null;
}

export type ItemCheck = { ok: true; item: ValidItem } | { ok: false; reason: string };

function chars(s: string): number {
  // PostgreSQL counts code points; String#length counts UTF-16 units.
  return s.length <= 250 ? s.length : Array.from(s).length;
}

function text(
  p: Record<string, unknown>,
  field: string,
  max: number,
  required: boolean,
): string | null | Error {
  const v = p[field];
  if (v === undefined || v === null) {
    return required ? new Error(`${field}: required, a text of 1 to ${max} characters`) : null;
  }
  if (typeof v !== 'string') return new Error(`${field}: got ${typeof v}, takes a text`);
  const t = v.trim();
  if (t.length === 0) return new Error(`${field}: is blank, takes 1 to ${max} characters`);
  if (chars(v) > max)
    return new Error(`${field}: has ${chars(v)} characters, takes at most ${max}`);
  return field === 'documentTitle' ? t : v;
}

function id(p: Record<string, unknown>, field: string): number | null | Error {
  const v = p[field];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) {
    return new Error(`${field}: got ${JSON.stringify(v)}, takes a positive integer id`);
  }
  return v;
}

/**
 * Checks one item's payload against what the mails and documents tables accept,
 * so that a bad item fails alone (with a reason naming the field) instead of
 * failing the bulk insert of its whole chunk.
 */
export function checkItemPayload(payload: unknown): ItemCheck {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    return { ok: false, reason: 'payload: takes an object' };
  }
  const p = payload as Record<string, unknown>;
  const subject = text(p, 'subject', 500, true);
  const sender = text(p, 'sender', 320, true);
  const documentTitle = text(p, 'documentTitle', 500, false);
  const documentTypeId = id(p, 'documentTypeId');
  const folderId = id(p, 'folderId');
  let receivedOn: string | null | Error = null;
  if (p.receivedOn !== undefined && p.receivedOn !== null) {
    const t = typeof p.receivedOn === 'string' ? Date.parse(p.receivedOn) : NaN;
    receivedOn = Number.isNaN(t)
      ? new Error(`receivedOn: got ${JSON.stringify(p.receivedOn)}, takes an ISO 8601 timestamp`)
      : new Date(t).toISOString();
  }
  let priority: MailPriority | Error = 'normal';
  if (p.priority !== undefined && p.priority !== null) {
    priority = (MAIL_PRIORITIES as readonly unknown[]).includes(p.priority)
      ? (p.priority as MailPriority)
      : new Error(
          `priority: got ${JSON.stringify(p.priority)}, takes one of ${MAIL_PRIORITIES.join(', ')}`,
        );
  }
  for (const v of [
    subject,
    sender,
    receivedOn,
    priority,
    documentTitle,
    documentTypeId,
    folderId,
  ]) {
    if (v instanceof Error) return { ok: false, reason: v.message };
  }
  return {
    ok: true,
    item: {
      subject: subject as string,
      sender: sender as string,
      receivedOn: receivedOn as string | null,
      priority: priority as MailPriority,
      documentTitle: documentTitle as string | null,
      documentTypeId: documentTitle === null ? null : (documentTypeId as number | null),
      folderId: folderId as number | null,
    },
  };
}
