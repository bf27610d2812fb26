import { defineResource, grant } from '../permission/resource';
import { inboxGrid } from './inbox.grid';
import { mailGrid } from './mail.grid';

/**
 * Unfiled mail is everyone's who may view mail; filed mail follows its folder's
 * grants for every operation; the assignee always reads his mail and moves its
 * status (others need mail edit rights and edit in its folder).
 */
export const mailResource = defineResource({
  grid: mailGrid,
  noun: 'Mail',
  tab: 'mail',
  policy: {
    read: grant('mail', 'view'),
    create: grant('mail', 'create'),
    edit: grant('mail', 'edit'),
    delete: grant('mail', 'delete'),
    assign: grant('mail', 'assign'),
    unassign: grant('mail', 'assign'),
    status: grant('mail', 'view'),
  },
  rows: {
    tenant: 'm.organization_id',
    folder: 'm.folder_id',
    folderOptional: true,
    assignee: 'm.assigned_to',
    assigneeMay: ['status'],
    folderAction: { unassign: 'assign', status: 'edit' },
  },
});

/** The caller's own work: no tab needed; items are read and changed under /mails. */
export const inboxResource = defineResource({
  grid: inboxGrid,
  noun: 'Mail',
  policy: { read: grant('mail', 'view') },
  rows: { tenant: 'm.organization_id', assignee: 'm.assigned_to', onlyOwnAssignments: true },
  item: false,
});
