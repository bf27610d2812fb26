import { Injectable } from '@nestjs/common';
import type { Queryable } from '../../core/database/db.service';
import type { RowGuard } from '../../core/database/versioned-row';
import { insertRow, lockForChange, updateVersioned } from '../../core/database/versioned-row';
import type { SqlStatement } from '../../core/grid/grid-query.builder';
import { ApiError } from '../../core/http/api-error';
import type { MailStatus } from './mail-workflow';

export interface MailRow {
  id: number;
  organization_id: number;
  folder_id: number | null;
  subject: string;
  sender: string;
  priority: string;
  status: MailStatus;
  assigned_to: number | null;
  assigned_by: number | null;
  version: number;
}

export type MailColumns = Partial<
  Pick<MailRow, 'organization_id' | 'folder_id' | 'subject' | 'sender' | 'priority' | 'status'>
> & { received_on?: string };

const LOCK = {
  from: 'mails m',
  alias: 'm',
  columns: `m.id, m.organization_id, m.folder_id, m.subject, m.sender, m.priority, m.status,
            m.assigned_to, m.assigned_by, m.version`,
  noun: 'Mail',
};

@Injectable()
export class MailRepository {
  /** The row locked for a change (lockForChange: 404, 403, 409). */
  lock(q: Queryable, id: number, guard: RowGuard, op: string, version?: number) {
    return lockForChange<MailRow>(q, LOCK, id, guard, op, version);
  }

  insert(q: Queryable, row: MailColumns): Promise<number> {
    return insertRow(q, 'mails', row);
  }

  update(
    q: Queryable,
    id: number,
    version: number,
    changes: MailColumns,
  ): Promise<number | undefined> {
    return updateVersioned(q, 'mails', id, version, changes);
  }

  /** Sets assignee, assigner and the time (the transaction's), and the status it leads to. */
  async assign(
    q: Queryable,
    id: number,
    version: number,
    a: { assignedTo: number; assignedBy: number; status: MailStatus },
  ): Promise<number | undefined> {
    const rows = await q.query<{ version: number }>(
      `UPDATE mails SET assigned_to = $3, assigned_by = $4, assigned_on = now(), status = $5,
              version = version + 1, updated_on = now()
       WHERE id = $1 AND version = $2 RETURNING version`,
      [id, version, a.assignedTo, a.assignedBy, a.status],
    );
    return rows[0]?.version;
  }

  async unassign(
    q: Queryable,
    id: number,
    version: number,
    status: MailStatus,
  ): Promise<number | undefined> {
    const rows = await q.query<{ version: number }>(
      `UPDATE mails SET assigned_to = NULL, assigned_by = NULL, assigned_on = NULL, status = $3,
              version = version + 1, updated_on = now()
       WHERE id = $1 AND version = $2 RETURNING version`,
      [id, version, status],
    );
    return rows[0]?.version;
  }

  /**
   * Whether the user is an active member of the organization (and it is active).
   * FOR SHARE: a concurrent deactivation waits until the assignment has committed.
   */
  async isActiveMember(q: Queryable, userId: number, organizationId: number): Promise<boolean> {
    const rows = await q.query<{ ok: boolean }>(
      `SELECT u.is_active AND o.is_active AS ok
       FROM users u JOIN organizations o ON o.id = u.organization_id
       WHERE u.id = $1 AND u.organization_id = $2 FOR SHARE OF u`,
      [userId, organizationId],
    );
    return rows[0]?.ok === true;
  }

  /**
   * Whether the mail is in a scope (a predicate over `mails m` numbered from
   * $1): one statement against the row, which the caller has locked.
   */
  async inScope(q: Queryable, id: number, scope: SqlStatement): Promise<boolean> {
    const rows = await q.query<{ ok: boolean }>(
      `SELECT (${scope.text}) AS ok FROM mails m WHERE m.id = $${scope.values.length + 1}`,
      [...scope.values, id],
    );
    return rows[0]?.ok === true;
  }

  /**
   * The mail's organization when the caller sees it and may do `op` to it,
   * without locking: 404 outside the read scope, 403 outside the scope of `op`.
   */
  async organizationFor(q: Queryable, id: number, guard: RowGuard, op: string): Promise<number> {
    const n = guard.values.length + 1;
    const rows = await q.query<{
      organization_id: number;
      folder_id: number | null;
      allowed: boolean;
    }>(
      `SELECT m.organization_id, m.folder_id, (${guard.allowed}) AS allowed FROM mails m
       WHERE m.id = $${n} AND ${guard.visible}`,
      [...guard.values, id],
    );
    const row = rows[0];
    if (!row) throw ApiError.notFound('Mail', id);
    if (!row.allowed) {
      const folder = row.folder_id === null ? '' : ` in folder ${String(row.folder_id)}`;
      throw ApiError.forbidden(`you may not ${op} this mail${folder}`, 'id');
    }
    return Number(row.organization_id);
  }

  async delete(q: Queryable, id: number): Promise<void> {
    await q.query('DELETE FROM mails WHERE id = $1', [id]);
  }
}
