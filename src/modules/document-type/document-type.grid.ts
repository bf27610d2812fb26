import type { GridDefinition } from '../../core/grid/grid.types';

export const documentTypeGrid: GridDefinition = {
  name: 'document-types',
  from: 'document_types t',
  idColumn: 'id',
  // document_types_org_name_idx (organization_id, name, id) serves this order;
  // document_types_name_id_idx serves it across organizations (platform admins).
  defaultSort: [
    { column: 'name', direction: 'asc' },
    { column: 'id', direction: 'asc' },
  ],
  columns: [
    { key: 'id', label: 'ID', sql: 't.id', type: 'integer', sortable: true },
    { key: 'name', label: 'Name', sql: 't.name', type: 'text', sortable: true, searchable: true },
    {
      key: 'description',
      label: 'Description',
      sql: 't.description',
      type: 'text',
      searchable: true,
    },
    {
      key: 'retentionDays',
      label: 'Retention (days)',
      sql: 't.retention_days',
      type: 'integer',
      nullable: true,
      sortable: true,
      discoverable: true,
    },
    {
      key: 'organizationId',
      label: 'Organization',
      sql: 't.organization_id',
      type: 'reference',
      sortable: true,
      discoverable: true,
      ref: {
        labelKey: 'organizationName',
        sql: (v: string) => `(SELECT o.name FROM organizations o WHERE o.id = ${v})`,
      },
    },
    { key: 'version', label: 'Version', sql: 't.version', type: 'integer', filterable: false },
    { key: 'createdOn', label: 'Created', sql: 't.created_on', type: 'datetime', sortable: true },
    { key: 'updatedOn', label: 'Updated', sql: 't.updated_on', type: 'datetime', sortable: true },
  ],
};
