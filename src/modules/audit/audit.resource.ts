import { defineResource, grant } from '../permission/resource';
import { auditGrid } from './audit.grid';

/**
 * An audit row is visible where its record would be: the caller may view that
 * kind of record, and the record's folder (when it has one) is in his scope.
 */
export const auditResource = defineResource({
  grid: auditGrid,
  noun: 'Audit entry',
  tab: 'audit',
  policy: { read: grant('audit', 'view') },
  rows: {
    tenant: 'a.organization_id',
    entityType: 'a.entity_type',
    folder: 'a.folder_id',
    folderOptional: true,
  },
});
