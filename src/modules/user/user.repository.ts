import { Injectable } from '@nestjs/common';
import type { Queryable } from '../../core/database/db.service';
import { Db } from '../../core/database/db.service';
import type { RowGuard } from '../../core/database/versioned-row';
import { insertRow, lockForChange, updateVersioned } from '../../core/database/versioned-row';

export interface UserRow {
  id: number;
  organization_id: number | null;
  email: string;
  display_name: string;
  is_platform_admin: boolean;
  is_org_admin: boolean;
  is_active: boolean;
  version: number;
}

const LOCK = {
  from: 'users u',
  alias: 'u',
  columns:
    'u.id, u.organization_id, u.email, u.display_name, u.is_platform_admin, u.is_org_admin, u.is_active, u.version',
  noun: 'User',
};

export type UserColumns = Partial<
  Pick<UserRow, 'organization_id' | 'email' | 'display_name' | 'is_org_admin' | 'is_active'>
> & { password_hash?: string };

export interface RoleRef {
  id: number;
  name: string;
}

@Injectable()
export class UserRepository {
  constructor(private readonly db: Db) {}

  /** The user locked for a change (lockForChange: 404 outside the caller's reach). Never the password hash. */
  lock(q: Queryable, id: number, guard: RowGuard, op: string): Promise<UserRow> {
    return lockForChange<UserRow>(q, LOCK, id, guard, op);
  }

  insert(q: Queryable, row: UserColumns): Promise<number> {
    return insertRow(q, 'users', row);
  }

  update(q: Queryable, id: number, version: number, changes: UserColumns) {
    return updateVersioned(q, 'users', id, version, changes);
  }

  /**
   * Moves the user's credential version on (a stamp, see next_stamp): every
   * token issued before is refused from now on. Returns the new version.
   */
  async bumpCredentials(q: Queryable, id: number): Promise<number> {
    const rows = await q.query<{ cv: string }>(
      'UPDATE users SET credential_version = next_stamp(credential_version) WHERE id = $1 RETURNING credential_version AS cv',
      [id],
    );
    return Number(rows[0].cv);
  }

  async delete(q: Queryable, id: number): Promise<void> {
    await q.query('DELETE FROM users WHERE id = $1', [id]);
  }

  async rolesOf(userId: number, q: Queryable = this.db): Promise<RoleRef[]> {
    return q.query<RoleRef>(
      `SELECT r.id, r.name FROM user_roles ur JOIN roles r ON r.id = ur.role_id
       WHERE ur.user_id = $1 ORDER BY r.name, r.id`,
      [userId],
    );
  }

  /** Of the given role ids, those that are not roles of the organization. */
  async foreignRoles(q: Queryable, organizationId: number, roleIds: number[]): Promise<number[]> {
    const rows = await q.query<{ id: number }>(
      `SELECT x.id FROM unnest($2::bigint[]) AS x(id)
       WHERE NOT EXISTS (SELECT 1 FROM roles r WHERE r.id = x.id AND r.organization_id = $1)
       ORDER BY x.id`,
      [organizationId, roleIds],
    );
    return rows.map((r) => Number(r.id));
  }

  /** Makes the user's memberships exactly roleIds (all checked to be of the organization). */
  async setRoles(
    q: Queryable,
    userId: number,
    organizationId: number,
    roleIds: number[],
  ): Promise<void> {
    await q.query(
      'DELETE FROM user_roles WHERE user_id = $1 AND NOT (role_id = ANY($2::bigint[]))',
      [userId, roleIds],
    );
    await q.query(
      `INSERT INTO user_roles (organization_id, user_id, role_id)
       SELECT $1, $2, unnest($3::bigint[]) ON CONFLICT DO NOTHING`,
      [organizationId, userId, roleIds],
    );
  }
}
