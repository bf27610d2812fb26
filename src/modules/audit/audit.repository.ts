import { Injectable } from '@nestjs/common';
import type { Queryable } from '../../core/database/db.service';
import type { AuditedType } from './audit.grid';

export interface AuditEntry {
  organizationId: number | null;
  actorId: number | null;
  /** One of the audit grid's entity types, so that every row written can be filtered on. */
  entityType: AuditedType;
  entityId: number | null;
  /** The record's folder, when it has one (a folder's own entries: the folder). */
  folderId?: number | null;
  action: string;
  changes?: Record<string, unknown>;
  requestId?: string;
}

@Injectable()
export class AuditRepository {
  /** Written on the caller's transaction, so the change and its audit row commit or fail together. */
  async insert(q: Queryable, e: AuditEntry): Promise<void> {
    await q.query(
      `INSERT INTO audit_log (organization_id, actor_id, entity_type, entity_id, action, changes, request_id, folder_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        e.organizationId,
        e.actorId,
        e.entityType,
        e.entityId,
        e.action,
        JSON.stringify(e.changes ?? {}),
        e.requestId ?? null,
        e.folderId ?? null,
      ],
    );
  }
}
