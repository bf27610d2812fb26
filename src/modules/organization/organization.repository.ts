import { Injectable } from '@nestjs/common';
import type { Queryable } from '../../core/database/db.service';
import type { RowGuard } from '../../core/database/versioned-row';
import { insertRow, lockForChange, updateVersioned } from '../../core/database/versioned-row';

export interface OrganizationRow {
  id: number;
  name: string;
  slug: string;
  is_active: boolean;
  version: number;
}

export type OrganizationColumns = Partial<Omit<OrganizationRow, 'id' | 'version'>>;

/** What an organization still holds that a delete would destroy. */
export interface OrganizationContents {
  users: boolean;
  documents: boolean;
  mails: boolean;
  batches: boolean;
}

const LOCK = {
  from: 'organizations o',
  alias: 'o',
  columns: 'o.id, o.name, o.slug, o.is_active, o.version',
  noun: 'Organization',
};

@Injectable()
export class OrganizationRepository {
  /** The row locked for a change (lockForChange: 404, 403, 409). */
  lock(q: Queryable, id: number, guard: RowGuard, op: string, version?: number) {
    return lockForChange<OrganizationRow>(q, LOCK, id, guard, op, version);
  }

  insert(q: Queryable, row: OrganizationColumns): Promise<number> {
    return insertRow(q, 'organizations', row);
  }

  update(
    q: Queryable,
    id: number,
    version: number,
    changes: OrganizationColumns,
  ): Promise<number | undefined> {
    return updateVersioned(q, 'organizations', id, version, changes);
  }

  /** Whether any people or business records remain (each by an organization-leading index). */
  async contents(q: Queryable, id: number): Promise<OrganizationContents> {
    const rows = await q.query<OrganizationContents>(
      `SELECT EXISTS (SELECT 1 FROM users WHERE organization_id = $1) AS users,
              EXISTS (SELECT 1 FROM documents WHERE organization_id = $1) AS documents,
              EXISTS (SELECT 1 FROM mails WHERE organization_id = $1) AS mails,
              EXISTS (SELECT 1 FROM batches WHERE organization_id = $1) AS batches`,
      [id],
    );
    return rows[0];
  }

  /** Cascades to its configuration: folders, document types, roles and its audit trail. */
  async delete(q: Queryable, id: number): Promise<void> {
    await q.query('DELETE FROM organizations WHERE id = $1', [id]);
  }
}
