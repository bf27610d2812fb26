import { labelRef } from '../../core/grid/grid-ref';
import type { GridDefinition } from '../../core/grid/grid.types';

export const BATCH_SOURCES = ['scan', 'email', 'upload', 'api'] as const;
export const BATCH_STATUSES = [
  'pending',
  'queued',
  'processing',
  'completed',
  'completed_with_errors',
  'failed',
  'cancelled',
] as const;

/** The API key of a column: its SQL name in camelCase. */
const camel = (column: string) => column.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

const count = (column: string, name: string) =>
  ({
    key: camel(column),
    label: name,
    sql: `b.${column}`,
    type: 'integer',
    sortable: true,
  }) as const;

const moment = (column: string, name: string) =>
  ({
    key: camel(column),
    label: name,
    sql: `b.${column}`,
    type: 'datetime',
    nullable: true,
    sortable: true,
  }) as const;

export const batchGrid: GridDefinition = {
  name: 'batches',
  from: 'batches b',
  idColumn: 'id',
  // batches_org_created_idx (batches_created_idx for platform admins) serves this order.
  defaultSort: [
    { column: 'createdOn', direction: 'desc' },
    { column: 'id', direction: 'desc' },
  ],
  columns: [
    { key: 'id', label: 'ID', sql: 'b.id', type: 'integer', sortable: true },
    { key: 'name', label: 'Name', sql: 'b.name', type: 'text', sortable: true, searchable: true },
    {
      key: 'source',
      label: 'Source',
      sql: 'b.source',
      type: 'enum',
      values: BATCH_SOURCES,
      sortable: true,
      discoverable: true,
    },
    {
      key: 'status',
      label: 'Status',
      sql: 'b.status',
      type: 'enum',
      values: BATCH_STATUSES,
      sortable: true,
      discoverable: true,
    },
    count('item_count', 'Items'),
    count('processed_count', 'Processed'),
    count('failed_count', 'Failed'),
    count('attempts', 'Attempts'),
    {
      key: 'lastError',
      label: 'Last error',
      sql: 'b.last_error',
      type: 'text',
      nullable: true,
      searchable: true,
    },
    {
      key: 'createdBy',
      label: 'Created by',
      sql: 'b.created_by',
      type: 'reference',
      sortable: true,
      nullable: true,
      discoverable: true,
      ref: labelRef('createdByName', 'users', 'display_name'),
    },
    moment('enqueued_on', 'Enqueued'),
    moment('started_on', 'Started'),
    moment('heartbeat_on', 'Last heartbeat'),
    moment('finished_on', 'Finished'),
    {
      key: 'organizationId',
      label: 'Organization',
      sql: 'b.organization_id',
      type: 'reference',
      sortable: true,
      discoverable: true,
      ref: labelRef('organizationName', 'organizations'),
    },
    { key: 'version', label: 'Version', sql: 'b.version', type: 'integer', filterable: false },
    { key: 'createdOn', label: 'Created', sql: 'b.created_on', type: 'datetime', sortable: true },
    { key: 'updatedOn', label: 'Updated', sql: 'b.updated_on', type: 'datetime', sortable: true },
  ],
};
