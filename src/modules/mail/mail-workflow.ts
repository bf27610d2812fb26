/**
 * The mail status workflow as pure rules: which status follows which, and
 * through which action. Assignment and unassignment move the status on their
 * own routes; the status route only does the moves that need no assignee change.
 */

export const MAIL_STATUSES = ['new', 'assigned', 'in_progress', 'done', 'archived'] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

export const MAIL_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type MailPriority = (typeof MAIL_PRIORITIES)[number];

/** The route a move goes through. */
export type MailMove = 'status' | 'assign' | 'unassign';

/** from → to → the route that makes that move. Anything absent is not allowed. */
export const MAIL_TRANSITIONS: Readonly<
  Record<MailStatus, Readonly<Partial<Record<MailStatus, MailMove>>>>
> = {
  new: { assigned: 'assign' },
  assigned: { in_progress: 'status', new: 'unassign' },
  in_progress: { done: 'status', new: 'unassign' },
  done: { archived: 'status' },
  archived: {},
};

/** Statuses in which a mail may be (re)assigned without leaving the workflow. */
const ASSIGNABLE: readonly MailStatus[] = ['new', 'assigned', 'in_progress'];

export type TransitionResult =
  { ok: true; to: MailStatus } | { ok: false; from: MailStatus; to: MailStatus; reason: string };

const refuse = (from: MailStatus, to: MailStatus, reason: string): TransitionResult => ({
  ok: false,
  from,
  to,
  reason,
});

function whereTo(from: MailStatus): string {
  const moves = Object.entries(MAIL_TRANSITIONS[from]);
  if (moves.length === 0) return `${from} is final: the status cannot change`;
  const targets = moves.map(([to, via]) =>
    via === 'status' ? to : `${to} (by ${via === 'assign' ? 'assigning' : 'unassigning'})`,
  );
  return `from ${from} the status may move to ${targets.join(', ')}`;
}

/** POST /status: the requested status, if the workflow moves there directly. */
export function statusMove(from: MailStatus, to: MailStatus): TransitionResult {
  const via = MAIL_TRANSITIONS[from][to];
  if (via === 'status') return { ok: true, to };
  if (via === 'assign') return refuse(from, to, `assign the mail to move it from ${from} to ${to}`);
  if (via === 'unassign')
    return refuse(from, to, `unassign the mail to move it from ${from} to ${to}`);
  return refuse(from, to, whereTo(from));
}

/** POST /assign: new becomes assigned; a reassignment keeps the status it interrupts. */
export function assignMove(from: MailStatus): TransitionResult {
  if (!ASSIGNABLE.includes(from)) {
    return refuse(from, 'assigned', `a ${from} mail can no longer be assigned`);
  }
  return { ok: true, to: from === 'new' ? 'assigned' : from };
}

/** POST /unassign: back to new, only from a status the unassignment route leaves. */
export function unassignMove(from: MailStatus): TransitionResult {
  if (MAIL_TRANSITIONS[from].new === 'unassign') return { ok: true, to: 'new' };
  return refuse(from, 'new', `a ${from} mail cannot be unassigned`);
}
