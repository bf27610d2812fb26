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
  columns: MAIL_COLUMNS,
};
