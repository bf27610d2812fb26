import type { Schemas } from '../../client';
import { ApiError, api, ok } from './api';
import { el, errorText, notice } from './ui';

type Mail = Schemas['InboxGridRow'] | Schemas['MailsGridRow'];
type Status = Schemas['MailStatusDto']['status'];
const STATUSES: Status[] = ['new', 'assigned', 'in_progress', 'done', 'archived'];
const PAGE = 50;

function conflictOrError(banner: HTMLElement, err: unknown, reload: () => void): void {
  if (err instanceof ApiError && err.status === 409) {
    const again = el('button', { type: 'button', 'data-testid': 'reload' }, 'Reload');
    again.addEventListener('click', reload);
    notice(banner, 'This mail was changed by someone else, reload.', 'conflict', again);
  } else {
    notice(banner, errorText(err));
  }
}

/**
 * The inbox (mail assigned to me) or all mail: assign to a candidate of the
 * assignment route, change the status; each write sends the version it read.
 */
export async function inboxPage(root: HTMLElement): Promise<void> {
  const client = api();
  const banner = el('div', { className: 'banner', hidden: true, 'data-testid': 'banner' });
  const scope = el('select', { 'data-testid': 'inbox-scope' });
  scope.append(
    el('option', { value: 'inbox' }, 'My inbox'),
    el('option', { value: 'all' }, 'All mail'),
  );
  const body = el('tbody');
  const more = el('button', { type: 'button', hidden: true }, 'More');
  const table = el(
    'table',
    { className: 'inbox', 'data-testid': 'inbox' },
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        ...['Subject', 'Sender', 'Received', 'Priority', 'Assignee', 'Status'].map((h) =>
          el('th', {}, h),
        ),
      ),
    ),
    body,
  );
  root.replaceChildren(
    el('h1', {}, 'Inbox'),
    el('div', { className: 'toolbar' }, scope),
    banner,
    table,
    more,
  );
  let cursor: string | null = null;

  const row = (mail: Mail): HTMLTableRowElement => {
    let current = mail;
    const tr = el('tr', { 'data-mail-id': String(mail.id) });
    const assign = el('select', { 'data-testid': 'assign' });
    assign.append(el('option', { value: '' }, current.assigneeName ?? '(nobody)'));
    let loaded = false;
    // Candidates on first use: the assignment route lists who may work this mail.
    assign.addEventListener('focus', () => {
      if (loaded) return;
      loaded = true;
      client
        .GET('/api/mails/{id}/assignees', {
          params: { path: { id: current.id }, query: { limit: 100 } },
        })
        .then((r) => {
          for (const user of ok(r).data) {
            if (user.id !== current.assignedTo)
              assign.append(el('option', { value: String(user.id) }, user.displayName));
          }
        })
        .catch((err: unknown) => notice(banner, errorText(err)));
    });
    assign.addEventListener('change', () => {
      if (!assign.value) return;
      client
        .POST('/api/mails/{id}/assign', {
          params: { path: { id: current.id } },
          body: { userId: Number(assign.value), version: current.version },
        })
        .then((r) => {
          current = ok(r);
          tr.replaceWith(row(current));
          notice(banner, `Assigned "${current.subject}" to ${current.assigneeName ?? ''}.`, 'ok');
        })
        .catch((err: unknown) => conflictOrError(banner, err, () => void load(true)));
    });
    const status = el('select', { 'data-testid': 'status' });
    status.append(
      ...STATUSES.map((s) => el('option', { value: s, selected: s === current.status }, s)),
    );
    status.addEventListener('change', () => {
      client
        .POST('/api/mails/{id}/status', {
          params: { path: { id: current.id } },
          body: { status: status.value as Status, version: current.version },
        })
        .then((r) => {
          current = ok(r);
          tr.replaceWith(row(current));
          notice(banner, `"${current.subject}" is now ${current.status}.`, 'ok');
        })
        .catch((err: unknown) => conflictOrError(banner, err, () => void load(true)));
    });
    tr.append(
      el('td', {}, current.subject),
      el('td', {}, current.sender),
      el('td', {}, current.receivedOn.replace('T', ' ').slice(0, 16)),
      el('td', {}, current.priority),
      el('td', {}, assign),
      el('td', {}, status),
    );
    return tr;
  };

  const load = async (fresh: boolean): Promise<void> => {
    if (fresh) {
      cursor = null;
      body.replaceChildren();
    }
    const query = { limit: PAGE, sort: ['-receivedOn' as const], ...(cursor ? { cursor } : {}) };
    const page =
      scope.value === 'all'
        ? ok(await client.GET('/api/mails', { params: { query } }))
        : ok(await client.GET('/api/inbox', { params: { query } }));
    body.append(...page.data.map(row));
    cursor = page.page.nextCursor;
    more.hidden = !page.page.hasMore;
  };
  scope.addEventListener(
    'change',
    () => void load(true).catch((err: unknown) => notice(banner, errorText(err))),
  );
  more.addEventListener(
    'click',
    () => void load(false).catch((err: unknown) => notice(banner, errorText(err))),
  );
  await load(true);
}
