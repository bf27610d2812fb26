import type { GridDefinition } from '../../src/core/grid/grid.types';

/** A grid with a column of every type and capability, for the engine's unit tests. */
export const sampleGrid: GridDefinition = {
  name: 'samples',
  from: 'samples s',
  idColumn: 'id',
  defaultSort: [
    { column: 'createdOn', direction: 'desc' },
    { column: 'id', direction: 'desc' },
  ],
  columns: [
    { key: 'id', label: 'ID', sql: 's.id', type: 'integer', sortable: true },
    { key: 'name', label: 'Name', sql: 's.name', type: 'text', sortable: true, searchable: true },
    { key: 'note', label: 'Note', sql: 's.note', type: 'text', nullable: true, searchable: true },
    {
      key: 'amount',
      label: 'Amount',
      sql: 's.amount',
      type: 'number',
      nullable: true,
      sortable: true,
    },
    { key: 'active', label: 'Active', sql: 's.active', type: 'boolean', sortable: true },
    {
      key: 'status',
      label: 'Status',
      sql: 's.status',
      type: 'enum',
      values: ['open', 'closed', 'on_hold'],
      sortable: true,
      discoverable: true,
    },
    {
      key: 'ownerId',
      label: 'Owner',
      sql: 's.owner_id',
      type: 'reference',
      nullable: true,
      discoverable: true,
      ref: { labelKey: 'ownerName', sql: (v) => `(SELECT u.name FROM users u WHERE u.id = ${v})` },
    },
    { key: 'due', label: 'Due', sql: 's.due', type: 'date', nullable: true, sortable: true },
    { key: 'createdOn', label: 'Created', sql: 's.created_on', type: 'datetime', sortable: true },
    {
      key: 'rank',
      label: 'Rank',
      sql: 's.rank',
      type: 'integer',
      nullable: true,
      sortable: true,
      selected: false,
    },
    { key: 'secret', label: 'Secret', sql: 's.secret', type: 'text', filterable: false },
    { key: 'code', label: 'Code', sql: 's.code', type: 'text', operators: ['eq', 'in'] },
  ],
};
