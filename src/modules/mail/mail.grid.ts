import type { GridColumn, GridDefinition } from '../../core/grid/grid.types';
import { MAIL_PRIORITIES, MAIL_STATUSES } from './mail-workflow';

const label =
  (table: string, column = 'name') =>
  (v: string) =>
    `(SELECT x.${column} FROM ${table} x WHERE x.id = ${v})`;

/** The columns the mails grid and the inbox share. */
export const MAIL_COLUMNS: readonly GridColumn[] = [
  { key: 'id', label: 'ID', sql: 'm.id', type: 'integer', sortable: true },
  {
    key: 'subject',
    label: 'Subject',
    sql: 'm.subject',
    type: 'text',
    sortable: true,
    searchable: true,
  },
  {
    key: 'sender',
    label: 'Sender',
    sql: 'm.sender',
    type: 'text',
    sortable: true,
    searchable: true,
    discoverable: true,
  },
  {
    key: 'receivedOn',
    label: 'Received',
    sql: 'm.received_on',
    type: 'datetime',
    sortable: true,
  },
  {
    key: 'priority',
    label: 'Priority',
    sql: 'm.priority',
    type: 'enum',
    values: MAIL_PRIORITIES,
    sortable: true,
    discoverable: true,
  },
  {
    key: 'status',
    label: 'Status',
    sql: 'm.status',
    type: 'enum',
    values: MAIL_STATUSES,
    sortable: true,
    discoverable: true,
  },
  {
    key: 'folderId',
    label: 'Folder',
    sql: 'm.folder_id',
    type: 'reference',
    sortable: true,
    nullable: true,
    discoverable: true,
    ref: { labelKey: 'folderName', sql: label('folders') },
  },
  {
    key: 'batchId',
    label: 'Batch',
    sql: 'm.batch_id',
    type: 'reference',
    sortable: true,
    nullable: true,
    discoverable: true,
    ref: { labelKey: 'batchName', sql: label('batches') },
  },
  {
    key: 'assignedTo',
    label: 'Assignee',
    sql: 'm.assigned_to',
    type: 'reference',
    sortable: true,
    nullable: true,
    discoverable: true,
    ref: { labelKey: 'assigneeName', sql: label('users', 'display_name') },
  },
  {
    key: 'assignedBy',
    label: 'Assigned by',
    sql: 'm.assigned_by',
    type: 'reference',
    sortable: true,
    nullable: true,
    discoverable: true,
    ref: { labelKey: 'assignedByName', sql: label('users', 'display_name') },
  },
  {
    key: 'assignedOn',
    label: 'Assigned',
    sql: 'm.assigned_on',
    type: 'datetime',
    nullable: true,
    sortable: true,
  },
  {
    key: 'organizationId',
    label: 'Organization',
    sql: 'm.organization_id',
    type: 'reference',
    sortable: true,
    discoverable: true,
    ref: { labelKey: 'organizationName', sql: label('organizations') },
  },
  { key: 'version', label: 'Version', sql: 'm.version', type: 'integer', filterable: false },
  { key: 'createdOn', label: 'Created', sql: 'm.created_on', type: 'datetime', sortable: true },
  { key: 'updatedOn', label: 'Updated', sql: 'm.updated_on', type: 'datetime', sortable: true },
];

export const mailGrid: GridDefinition = {
  name: 'mails',
  from: 'mails m',
  idColumn: 'id',
  // mails_org_created_idx (mails_created_idx for platform admins) serves this order.
  defaultSort: [
    { column: 'createdOn', direction: 'desc' },
    { column: 'id', direction: 'desc' },
  ],
  columns: MAIL_COLUMNS,
};
