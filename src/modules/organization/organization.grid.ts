import type { GridDefinition } from '../../core/grid/grid.types';

export const organizationGrid: GridDefinition = {
  name: 'organizations',
  from: 'organizations o',
  idColumn: 'id',
  // organizations_name_id_idx (name, id) serves this order.
  defaultSort: [
    { column: 'name', direction: 'asc' },
    { column: 'id', direction: 'asc' },
  ],
  // The tenant is the row itself: members see their own organization, platform admins all.
  columns: [
    { key: 'id', label: 'ID', sql: 'o.id', type: 'integer', sortable: true },
    { key: 'name', label: 'Name', sql: 'o.name', type: 'text', sortable: true, searchable: true },
    { key: 'slug', label: 'Slug', sql: 'o.slug', type: 'text', sortable: true, searchable: true },
    {
      key: 'isActive',
      label: 'Active',
      sql: 'o.is_active',
      type: 'boolean',
      sortable: true,
      discoverable: true,
    },
    { key: 'version', label: 'Version', sql: 'o.version', type: 'integer', filterable: false },
    { key: 'createdOn', label: 'Created', sql: 'o.created_on', type: 'datetime', sortable: true },
    { key: 'updatedOn', label: 'Updated', sql: 'o.updated_on', type: 'datetime', sortable: true },
  ],
};
