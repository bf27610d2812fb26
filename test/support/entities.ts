import { AppMeta } from '../../src/core/database/app-meta.entity';
import { RequestMetric } from '../../src/core/observability/request-metric.entity';
import { AuditLogEntry } from '../../src/modules/audit/audit-log-entry.entity';
import { Batch } from '../../src/modules/batch/batch.entity';
import { BatchItem } from '../../src/modules/batch/batch-item.entity';
import { Document } from '../../src/modules/document/document.entity';
import { DocumentValueCount } from '../../src/modules/document/document-value-count.entity';
import { DocumentValueDelta } from '../../src/modules/document/document-value-delta.entity';
import { DocumentType } from '../../src/modules/document-type/document-type.entity';
import { Folder } from '../../src/modules/folder/folder.entity';
import { Mail } from '../../src/modules/mail/mail.entity';
import { Organization } from '../../src/modules/organization/organization.entity';
import { EntityType } from '../../src/modules/permission/entity-type.entity';
import { RoleEntityPermission } from '../../src/modules/permission/role-entity-permission.entity';
import { RoleFolderPermission } from '../../src/modules/permission/role-folder-permission.entity';
import { RoleTabPermission } from '../../src/modules/permission/role-tab-permission.entity';
import { Role } from '../../src/modules/permission/role/role.entity';
import { User } from '../../src/modules/user/user.entity';
import { UserRole } from '../../src/modules/user/user-role.entity';

/** Every entity of the application, one per table (the schema drift test checks both ways). */
export const ALL_ENTITIES = [
  AppMeta,
  RequestMetric,
  AuditLogEntry,
  Batch,
  BatchItem,
  Document,
  DocumentValueCount,
  DocumentValueDelta,
  DocumentType,
  Folder,
  Mail,
  Organization,
  EntityType,
  RoleEntityPermission,
  RoleFolderPermission,
  RoleTabPermission,
  Role,
  User,
  UserRole,
];
