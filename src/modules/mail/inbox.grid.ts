import type { GridDefinition } from '../../core/grid/grid.types';
import { MAIL_COLUMNS } from './mail.grid';

/** The mails grid as the inbox shows it (its rows: mailResource's inbox, the caller's assignments). */
export const inboxGrid: GridDefinition = {
  name: 'inbox',
  from: 'mails m',
  idColumn: 'id',
  // mails_assignee_created_idx (assigned_to, created_on desc, id desc) serves this order.
  defaultSort: [
    { column: 'createdOn', direction: 'desc' },
    { column: 'id', direction: 'desc' },
  ],
  // Without label walks: the inbox is one user's assignments, a few rows that a sort
  // orders at once, while a walk would read each folder's mails of everyone to find them.
  columns: MAIL_COLUMNS.map((c) =>
    c.ref?.walk ? { ...c, ref: { labelKey: c.ref.labelKey, sql: c.ref.sql } } : c,
  ),
};
