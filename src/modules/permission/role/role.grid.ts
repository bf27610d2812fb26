import type { GridDefinition } from '../../../core/grid/grid.types';

export const roleGrid: GridDefinition = {
  name: 'roles',
  from: 'roles r',
  idColumn: 'id',
  // roles_org_name_key (organization_id, name) serves this order; names are unique per organization.
  defaultSort: [
    { column: 'name', direction: 'asc' },
    { column: 'id', direction: 'asc' },
  ],
  // 'role' is governed by the admin hub, not by grants (PermissionService.canView).
  columns: [
    { key: 'id', label: 'ID', sql: 'r.id', type: 'integer', sortable: true },
    { key: 'name', label: 'Name', sql: 'r.name', type: 'text', sortable: true, searchable: true },
    {
      key: 'description',
      label: 'Description',
      sql: 'r.description',
      type: 'text',
      searchable: true,
    },
    {
      key: 'adminHub',
      label: 'Admin hub',
      sql: 'r.admin_hub',
      type: 'boolean',
      discoverable: true,
    },
    {
      key: 'memberCount',
      label: 'Members',
      // Computed for the page's rows only (user_roles_role_idx).
      sql: '(SELECT count(*)::int FROM user_roles ur WHERE ur.role_id = r.id)',
      type: 'integer',
      filterable: false,
    },
    {
      key: 'organizationId',
      label: 'Organization',
      sql: 'r.organization_id',
      type: 'reference',
      sortable: true,
      discoverable: true,
      ref: {
        labelKey: 'organizationName',
        sql: (v: string) => `(SELECT o.name FROM organizations o WHERE o.id = ${v})`,
      },
    },
    { key: 'version', label: 'Version', sql: 'r.version', type: 'integer', filterable: false },
    { key: 'createdOn', label: 'Created', sql: 'r.created_on', type: 'datetime', sortable: true },
    { key: 'updatedOn', label: 'Updated', sql: 'r.updated_on', type: 'datetime', sortable: true },
  ],
};
