import type { GridDefinition } from '../../core/grid/grid.types';

export const userGrid: GridDefinition = {
  name: 'users',
  from: 'users u',
  idColumn: 'id',
  // users_org_name_idx (organization_id, display_name, id) serves this order.
  defaultSort: [
    { column: 'displayName', direction: 'asc' },
    { column: 'id', direction: 'asc' },
  ],
  // Tenant only: platform admins (organization_id null) are seen by platform admins alone.
  columns: [
    { key: 'id', label: 'ID', sql: 'u.id', type: 'integer', sortable: true },
    {
      key: 'email',
      label: 'Email',
      sql: 'u.email',
      type: 'text',
      sortable: true,
      searchable: true,
    },
    {
      key: 'displayName',
      label: 'Name',
      sql: 'u.display_name',
      type: 'text',
      sortable: true,
      searchable: true,
    },
    {
      key: 'isOrgAdmin',
      label: 'Organization admin',
      sql: 'u.is_org_admin',
      type: 'boolean',
      discoverable: true,
    },
    {
      key: 'isPlatformAdmin',
      label: 'Platform admin',
      sql: 'u.is_platform_admin',
      type: 'boolean',
      discoverable: true,
    },
    {
      key: 'isActive',
      label: 'Active',
      sql: 'u.is_active',
      type: 'boolean',
      discoverable: true,
    },
    {
      key: 'roles',
      label: 'Roles',
      // Computed for the page's rows only (user_roles primary key lookup).
      sql: `(SELECT COALESCE(string_agg(r.name, ', ' ORDER BY r.name), '') FROM user_roles ur
             JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = u.id)`,
      type: 'text',
      filterable: false,
    },
    {
      key: 'lastLoginOn',
      label: 'Last sign-in',
      sql: 'u.last_login_on',
      type: 'datetime',
      nullable: true,
      sortable: true,
    },
    {
      key: 'organizationId',
      label: 'Organization',
      sql: 'u.organization_id',
      type: 'reference',
      sortable: true,
      nullable: true,
      discoverable: true,
      ref: {
        labelKey: 'organizationName',
        sql: (v: string) => `(SELECT o.name FROM organizations o WHERE o.id = ${v})`,
      },
    },
    { key: 'version', label: 'Version', sql: 'u.version', type: 'integer', filterable: false },
    { key: 'createdOn', label: 'Created', sql: 'u.created_on', type: 'datetime', sortable: true },
    { key: 'updatedOn', label: 'Updated', sql: 'u.updated_on', type: 'datetime', sortable: true },
  ],
};
