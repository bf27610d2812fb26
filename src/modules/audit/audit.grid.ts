import type { GridDefinition } from '../../core/grid/grid.types';
import { ENTITY_TYPES } from '../permission/permission.types';

/**
 * Every kind of record with an audit trail: the granted entity types and roles
 * (an entity type of their own since RoleEntityType1764720000000, without
 * grants). The grid's enum must hold them all, or a role's audit rows could be
 * listed but neither filtered nor paged past (the cursor carries the value).
 */
export const AUDITED_TYPES = [...ENTITY_TYPES, 'role'] as const;
export type AuditedType = (typeof AUDITED_TYPES)[number];

export const auditGrid: GridDefinition = {
  name: 'audit',
  from: 'audit_log a',
  idColumn: 'id',
  // audit_log_org_created_idx (audit_log_created_idx for platform admins) serves this order.
  defaultSort: [
    { column: 'createdOn', direction: 'desc' },
    { column: 'id', direction: 'desc' },
  ],
  // Rows of no organization (platform-level changes) reach platform administrators only.
  columns: [
    { key: 'id', label: 'ID', sql: 'a.id', type: 'integer', sortable: true },
    {
      key: 'entityType',
      label: 'Record type',
      sql: 'a.entity_type',
      type: 'enum',
      values: AUDITED_TYPES,
      sortable: true,
      discoverable: true,
    },
    { key: 'entityId', label: 'Record', sql: 'a.entity_id', type: 'integer', nullable: true },
    {
      key: 'action',
      label: 'Action',
      sql: 'a.action',
      type: 'text',
      sortable: true,
      discoverable: true,
    },
    {
      key: 'actorId',
      label: 'By',
      sql: 'a.actor_id',
      type: 'reference',
      sortable: true,
      nullable: true,
      discoverable: true,
      ref: {
        labelKey: 'actorName',
        sql: (v: string) => `(SELECT x.display_name FROM users x WHERE x.id = ${v})`,
      },
    },
    {
      key: 'folderId',
      label: 'Folder',
      sql: 'a.folder_id',
      type: 'reference',
      sortable: true,
      nullable: true,
      ref: {
        labelKey: 'folderName',
        sql: (v: string) => `(SELECT x.name FROM folders x WHERE x.id = ${v})`,
      },
    },
    {
      key: 'changes',
      label: 'Changes',
      sql: 'a.changes',
      type: 'text',
      filterable: false,
      rowSchema: {
        type: 'object',
        description: 'what changed: the fields, { from, to } per changed field of an update',
      },
    },
    { key: 'requestId', label: 'Request', sql: 'a.request_id', type: 'text', nullable: true },
    {
      key: 'organizationId',
      label: 'Organization',
      sql: 'a.organization_id',
      type: 'reference',
      sortable: true,
      nullable: true,
      discoverable: true,
      ref: {
        labelKey: 'organizationName',
        sql: (v: string) => `(SELECT x.name FROM organizations x WHERE x.id = ${v})`,
      },
    },
    { key: 'createdOn', label: 'When', sql: 'a.created_on', type: 'datetime', sortable: true },
  ],
};
