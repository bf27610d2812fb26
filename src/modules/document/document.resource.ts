import { defineResource, grant } from '../permission/resource';
import { documentGrid } from './document.grid';

/** A document follows its folder: each operation needs its folder grant there. */
export const documentResource = defineResource({
  grid: documentGrid,
  noun: 'Document',
  tab: 'document',
  policy: {
    read: grant('document', 'view'),
    create: grant('document', 'create'),
    edit: grant('document', 'edit'),
    delete: grant('document', 'delete'),
  },
  rows: { tenant: 'd.organization_id', folder: 'd.folder_id' },
});
