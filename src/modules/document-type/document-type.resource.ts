import { defineResource, grant } from '../permission/resource';
import { documentTypeGrid } from './document-type.grid';

export const documentTypeResource = defineResource({
  grid: documentTypeGrid,
  noun: 'Document type',
  tab: 'document_type',
  policy: {
    read: grant('document_type', 'view'),
    create: grant('document_type', 'create'),
    edit: grant('document_type', 'edit'),
    delete: grant('document_type', 'delete'),
  },
  rows: { tenant: 't.organization_id' },
});
