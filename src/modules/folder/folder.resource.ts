import { defineResource, grant } from '../permission/resource';
import { folderGrid } from './folder.grid';

/** A folder is in scope where a grant on it or an ancestor reaches it. */
export const folderResource = defineResource({
  grid: folderGrid,
  noun: 'Folder',
  tab: 'folder',
  policy: {
    read: grant('folder', 'view'),
    create: grant('folder', 'create'),
    edit: grant('folder', 'edit'),
    delete: grant('folder', 'delete'),
  },
  rows: { tenant: 'f.organization_id', folder: 'f.id' },
});
