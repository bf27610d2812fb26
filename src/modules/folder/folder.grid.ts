import type { GridDefinition } from '../../core/grid/grid.types';

export const FOLDER_SYSTEM_KEYS = ['inbox', 'archive'] as const;

/** Deepest level a folder may sit at (root = 0); the folders_depth CHECK says the same. */
export const FOLDER_MAX_DEPTH = 32;

export const folderGrid: GridDefinition = {
  name: 'folders',
  from: 'folders f',
  idColumn: 'id',
  // folders_org_name_idx (organization_id, name, id) serves this order; folders_name_id_idx
  // serves it across organizations (platform admins).
  defaultSort: [
    { column: 'name', direction: 'asc' },
    { column: 'id', direction: 'asc' },
  ],
  columns: [
    { key: 'id', label: 'ID', sql: 'f.id', type: 'integer', sortable: true },
    { key: 'name', label: 'Name', sql: 'f.name', type: 'text', sortable: true, searchable: true },
    {
      key: 'parentId',
      label: 'Parent',
      sql: 'f.parent_id',
      type: 'reference',
      sortable: true,
      nullable: true,
      discoverable: true,
      ref: {
        labelKey: 'parentName',
        sql: (v: string) => `(SELECT p.name FROM folders p WHERE p.id = ${v})`,
      },
    },
    {
      key: 'depth',
      label: 'Depth',
      sql: 'f.depth',
      type: 'integer',
      sortable: true,
      discoverable: true,
    },
    // Ancestor ids from the root down to the folder itself.
    {
      key: 'path',
      label: 'Path',
      sql: 'f.path',
      type: 'text',
      filterable: false,
      rowSchema: { type: 'array', items: { type: 'integer' } },
    },
    {
      key: 'pathName',
      label: 'Location',
      // Computed for the page's rows only: at most 33 primary-key lookups each.
      sql: `(SELECT string_agg(a.name, ' / ' ORDER BY a.depth) FROM folders a WHERE a.id = ANY(f.path))`,
      type: 'text',
      filterable: false,
    },
    {
      key: 'systemKey',
      label: 'System folder',
      sql: 'f.system_key',
      type: 'enum',
      values: FOLDER_SYSTEM_KEYS,
      nullable: true,
      discoverable: true,
    },
    {
      key: 'organizationId',
      label: 'Organization',
      sql: 'f.organization_id',
      type: 'reference',
      sortable: true,
      discoverable: true,
      ref: {
        labelKey: 'organizationName',
        sql: (v: string) => `(SELECT o.name FROM organizations o WHERE o.id = ${v})`,
      },
    },
    { key: 'version', label: 'Version', sql: 'f.version', type: 'integer', filterable: false },
    { key: 'createdOn', label: 'Created', sql: 'f.created_on', type: 'datetime', sortable: true },
    { key: 'updatedOn', label: 'Updated', sql: 'f.updated_on', type: 'datetime', sortable: true },
  ],
};
