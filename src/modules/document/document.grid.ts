import { labelRef } from '../../core/grid/grid-ref';
import type { GridDefinition } from '../../core/grid/grid.types';

export const DOCUMENT_STATUSES = ['draft', 'active', 'in_review', 'archived'] as const;

export const documentGrid: GridDefinition = {
  name: 'documents',
  from: 'documents d',
  idColumn: 'id',
  // documents_org_created_idx / documents_created_idx serve this order.
  defaultSort: [
    { column: 'createdOn', direction: 'desc' },
    { column: 'id', direction: 'desc' },
  ],
  // documents_folder_created_idx (folder_id, created_on DESC, id DESC) serves it per folder:
  // a user who sees a few folders gets pages merged from those folders' ranges alone.
  partitionedBy: {
    column: 'folderId',
    orders: [
      [
        { column: 'createdOn', direction: 'desc' },
        { column: 'id', direction: 'desc' },
      ],
    ],
  },
  // Value discovery sums these counts, kept by the triggers of migration
  // 1765500000000 (its counted columns are these; test/medium/document-value-counts.spec.ts checks).
  keptCounts: {
    relation: 'document_value_tallies',
    dimensions: { organizationId: 'organization_id', folderId: 'folder_id' },
    columns: ['status', 'documentTypeId', 'batchId', 'mimeType', 'createdBy'],
  },
  // Discoverable columns are INCLUDEd in the covering indexes of migration
  // 1765100000000 (value discovery counts from the index alone): a new one goes
  // there too (test/medium/document-discovery-indexes.spec.ts checks).
  columns: [
    { key: 'id', label: 'ID', sql: 'd.id', type: 'integer', sortable: true },
    {
      key: 'title',
      label: 'Title',
      sql: 'd.title',
      type: 'text',
      sortable: true,
      searchable: true,
    },
    {
      key: 'status',
      label: 'Status',
      sql: 'd.status',
      type: 'enum',
      values: DOCUMENT_STATUSES,
      sortable: true,
      discoverable: true,
    },
    {
      key: 'folderId',
      label: 'Folder',
      sql: 'd.folder_id',
      type: 'reference',
      sortable: true,
      discoverable: true,
      ref: labelRef('folderName', 'folders', 'name', { walk: true }),
    },
    {
      key: 'documentTypeId',
      label: 'Document type',
      sql: 'd.document_type_id',
      type: 'reference',
      sortable: true,
      nullable: true,
      discoverable: true,
      ref: labelRef('documentTypeName', 'document_types', 'name', { walk: true }),
    },
    {
      key: 'mailId',
      label: 'Mail',
      sql: 'd.mail_id',
      type: 'reference',
      sortable: true,
      nullable: true,
      // Looked up for the page's rows only (see buildRowsQuery), like every label.
      ref: labelRef('mailSubject', 'mails', 'subject'),
    },
    {
      key: 'batchId',
      label: 'Batch',
      sql: 'd.batch_id',
      type: 'reference',
      sortable: true,
      nullable: true,
      discoverable: true,
      ref: labelRef('batchName', 'batches', 'name', { walk: true }),
    },
    {
      key: 'fileName',
      label: 'File name',
      sql: 'd.file_name',
      type: 'text',
      nullable: true,
      sortable: true,
      searchable: true,
    },
    {
      key: 'mimeType',
      label: 'Type',
      sql: 'd.mime_type',
      type: 'text',
      nullable: true,
      discoverable: true,
    },
    {
      key: 'sizeBytes',
      label: 'Size',
      sql: 'd.size_bytes',
      type: 'integer',
      nullable: true,
      sortable: true,
    },
    {
      key: 'pageCount',
      label: 'Pages',
      sql: 'd.page_count',
      type: 'integer',
      nullable: true,
      sortable: true,
    },
    {
      key: 'documentDate',
      label: 'Document date',
      sql: 'd.document_date',
      type: 'date',
      nullable: true,
      sortable: true,
    },
    {
      key: 'createdBy',
      label: 'Created by',
      sql: 'd.created_by',
      type: 'reference',
      sortable: true,
      nullable: true,
      discoverable: true,
      ref: labelRef('createdByName', 'users', 'display_name'),
    },
    {
      key: 'organizationId',
      label: 'Organization',
      sql: 'd.organization_id',
      type: 'reference',
      sortable: true,
      discoverable: true,
      ref: labelRef('organizationName', 'organizations', 'name', { walk: true, tenant: 'id' }),
    },
    { key: 'version', label: 'Version', sql: 'd.version', type: 'integer', filterable: false },
    { key: 'createdOn', label: 'Created', sql: 'd.created_on', type: 'datetime', sortable: true },
    { key: 'updatedOn', label: 'Updated', sql: 'd.updated_on', type: 'datetime', sortable: true },
  ],
};
