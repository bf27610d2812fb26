import type { GridDefinition } from '../../core/grid/grid.types';
import { MAIL_COLUMNS, MAIL_SCOPE } from './mail.grid';

/** The mails assigned to the caller: the mails grid with the caller as fixed assignee. */
export const inboxGrid: GridDefinition = {
  name: 'inbox',
  from: 'mails m',
  idColumn: 'id',
  // mails_assignee_created_idx (assigned_to, created_on desc, id desc) serves this order.
  defaultSort: [
    { column: 'created_on', direction: 'desc' },
    { column: 'id', direction: 'desc' },
  ],
  scope: MAIL_SCOPE,
  columns: MAIL_COLUMNS,
  fixedWhere: (caller, bind) => `m.assigned_to = ${bind(caller.userId)}`,
};
