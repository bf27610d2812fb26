import { Injectable } from '@nestjs/common';
import type { Queryable } from '../../../core/database/db.service';
import { Db } from '../../../core/database/db.service';
import type { RowGuard } from '../../../core/database/versioned-row';
import { insertRow, lockForChange, updateVersioned } from '../../../core/database/versioned-row';
import type { Action } from '../permission.types';

export interface RoleRow {
  id: number;
  organization_id: number;
  name: string;
  description: string;
  admin_hub: boolean;
  version: number;
}

export type RoleColumns = Partial<Omit<RoleRow, 'id' | 'version'>>;

export interface RoleDetails {
  entity_actions: [string, Action][];
  tabs: string[];
  folder_grants: { folderId: number; folderName: string; actions: Action[] }[];
  members: { id: number; displayName: string }[];
}

/** Members listed with a role; the grid's member_count gives the full number. */
export const MEMBERS_SHOWN = 500;

const LOCK = {
  from: 'roles r',
  alias: 'r',
  columns: 'r.id, r.organization_id, r.name, r.description, r.admin_hub, r.version',
  noun: 'Role',
};

@Injectable()
export class RoleRepository {
  constructor(private readonly db: Db) {}

  /** The role locked for a change (lockForChange: 404 outside the caller's reach, 409 on `version`). */
  lock(q: Queryable, id: number, guard: RowGuard, op: string, version?: number): Promise<RoleRow> {
    return lockForChange<RoleRow>(q, LOCK, id, guard, op, version);
  }

  /**
   * A deleted role changes its members' role sets: their earlier tokens are
   * revoked (credential version moved on, as a role-set change does).
   */
  async revokeMembers(q: Queryable, roleId: number): Promise<Map<number, number>> {
    const rows = await q.query<{ id: string; cv: string }>(
      `UPDATE users SET credential_version = next_stamp(credential_version)
       WHERE id IN (SELECT user_id FROM user_roles WHERE role_id = $1)
       RETURNING id, credential_version AS cv`,
      [roleId],
    );
    return new Map(rows.map((r) => [Number(r.id), Number(r.cv)]));
  }

  insert(q: Queryable, row: RoleColumns): Promise<number> {
    return insertRow(q, 'roles', row);
  }

  /** Also with no changes: the grants changed, so the role's version moves on. */
  update(q: Queryable, id: number, version: number, changes: RoleColumns) {
    return updateVersioned(q, 'roles', id, version, changes);
  }

  async delete(q: Queryable, id: number): Promise<void> {
    await q.query('DELETE FROM roles WHERE id = $1', [id]);
  }

  /** Grants and members of a role in one statement. */
  async details(roleId: number, q: Queryable = this.db): Promise<RoleDetails> {
    const rows = await q.query<RoleDetails>(
      `SELECT
         (SELECT COALESCE(json_agg(json_build_array(p.entity_type, p.action)
                                   ORDER BY p.entity_type, p.action), '[]')
            FROM role_entity_permissions p WHERE p.role_id = $1) AS entity_actions,
         (SELECT COALESCE(array_agg(t.tab ORDER BY t.tab), '{}')
            FROM role_tab_permissions t WHERE t.role_id = $1) AS tabs,
         (SELECT COALESCE(json_agg(json_build_object('folderId', g.folder_id, 'folderName', f.name,
                                                     'actions', g.actions) ORDER BY f.name, g.folder_id), '[]')
            FROM (SELECT folder_id, array_agg(action ORDER BY action) AS actions
                  FROM role_folder_permissions WHERE role_id = $1 GROUP BY folder_id) g
            JOIN folders f ON f.id = g.folder_id) AS folder_grants,
         (SELECT COALESCE(json_agg(json_build_object('id', m.id, 'displayName', m.display_name)
                                   ORDER BY m.display_name, m.id), '[]')
            FROM (SELECT u.id, u.display_name FROM user_roles ur JOIN users u ON u.id = ur.user_id
                  WHERE ur.role_id = $1 ORDER BY u.display_name, u.id LIMIT $2) m) AS members`,
      [roleId, MEMBERS_SHOWN],
    );
    return rows[0];
  }

  async replaceEntityActions(q: Queryable, roleId: number, pairs: [string, Action][]) {
    await q.query('DELETE FROM role_entity_permissions WHERE role_id = $1', [roleId]);
    await q.query(
      `INSERT INTO role_entity_permissions (role_id, entity_type, action)
       SELECT $1, t, a FROM unnest($2::text[], $3::text[]) AS x(t, a)`,
      [roleId, pairs.map((p) => p[0]), pairs.map((p) => p[1])],
    );
  }

  async replaceTabs(q: Queryable, roleId: number, tabs: string[]) {
    await q.query('DELETE FROM role_tab_permissions WHERE role_id = $1', [roleId]);
    await q.query('INSERT INTO role_tab_permissions (role_id, tab) SELECT $1, unnest($2::text[])', [
      roleId,
      tabs,
    ]);
  }

  async replaceFolderGrants(
    q: Queryable,
    roleId: number,
    organizationId: number,
    grants: [number, Action][],
  ) {
    await q.query('DELETE FROM role_folder_permissions WHERE role_id = $1', [roleId]);
    await q.query(
      `INSERT INTO role_folder_permissions (organization_id, role_id, folder_id, action)
       SELECT $1, $2, f, a FROM unnest($3::bigint[], $4::text[]) AS x(f, a)`,
      [organizationId, roleId, grants.map((g) => g[0]), grants.map((g) => g[1])],
    );
  }

  /** Of the given folder ids, those that are not folders of the organization. */
  async foreignFolders(q: Queryable, organizationId: number, ids: number[]): Promise<number[]> {
    const rows = await q.query<{ id: number }>(
      `SELECT x.id FROM unnest($2::bigint[]) AS x(id)
       WHERE NOT EXISTS (SELECT 1 FROM folders f WHERE f.id = x.id AND f.organization_id = $1)
       ORDER BY x.id`,
      [organizationId, ids],
    );
    return rows.map((r) => Number(r.id));
  }
}
