import type { GridDefinition } from '../../core/grid/grid.types';
import { ENTITY_TYPES } from '../permission/permission.types';

export const auditGrid: GridDefinition = {
  name: 'audit',
  from: 'audit_log a',
  idColumn: 'id',
  // audit_log_org_created_idx (audit_log_created_idx for platform admins) serves this order.
  defaultSort: [
    { column: 'created_on', direction: 'desc' },
    { column: 'id', direction: 'desc' },
  ],
  // Rows of no organization (platform-level changes) reach platform administrators only.
  scope: { entityType: 'audit', organizationColumn: 'a.organization_id' },
  columns: [
    { key: 'id', label: 'ID', sql: 'a.id', type: 'integer', sortable: true },
    {
      key: 'entity_type',
      label: 'Record type',
      sql: 'a.entity_type',
      type: 'enum',
      values: ENTITY_TYPES,
      sortable: true,
      discoverable: true,
    },
    { key: 'entity_id', label: 'Record', sql: 'a.entity_id', type: 'integer', nullable: true },
    {
      key: 'action',
      label: 'Action',
      sql: 'a.action',
      type: 'text',
      sortable: true,
      discoverable: true,
    },
    {
      key: 'actor_id',
      label: 'By',
      sql: 'a.actor_id',
      type: 'reference',
      nullable: true,
      discoverable: true,
      ref: {
        labelKey: 'actor_name',
        sql: (v: string) => `(SELECT x.display_name FROM users x WHERE x.id = ${v})`,
      },
    },
    { key: 'changes', label: 'Changes', sql: 'a.changes', type: 'text', filterable: false },
    { key: 'request_id', label: 'Request', sql: 'a.request_id', type: 'text', nullable: true },
    {
      key: 'organization_id',
      label: 'Organization',
      sql: 'a.organization_id',
      type: 'reference',
      nullable: true,
      discoverable: true,
      ref: {
        labelKey: 'organization_name',
        sql: (v: string) => `(SELECT x.name FROM organizations x WHERE x.id = ${v})`,
      },
    },
    { key: 'created_on', label: 'When', sql: 'a.created_on', type: 'datetime', sortable: true },
  ],
};
